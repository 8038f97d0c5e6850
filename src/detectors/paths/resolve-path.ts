/**
 * Where a path argument leads (issue 11, filesystem scope): a `file:` URI is decoded, `~` expanded,
 * `..` folded, and symlinks followed through the `PathProbe` port — the path's own real path when it
 * exists, else its nearest existing ancestor's with the rest appended (a file about to be written lives
 * where its folder really is). A relative path is resolved against every scope root, since the gateway
 * cannot know which one the server will use; it must stay inside from each of them.
 * Containment is by whole path segments (`/srv/app` holds `/srv/app/x`, not `/srv/app2`), case-folded
 * where the file system is.
 */
import { fileURLToPath } from 'node:url';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { PathProbe } from '../../core/index.js';

export type ParsedPath = { path: string } | { notPath: true } | { invalid: string };

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const DRIVE = /^[A-Za-z]:(?:[/\\]|$)/;

/** The local path an argument names: `file:` URIs decoded; other URIs (and, for `uri` kinds, any non-file value) are not paths. */
export function parsePathValue(value: string, kind: 'path' | 'uri'): ParsedPath {
  if (value.includes('\u0000')) return { invalid: 'contains a NUL character' };
  if (/^file:/i.test(value)) {
    try {
      return { path: fileURLToPath(value) };
    } catch (err) {
      return { invalid: `not a local file URI (${(err as Error).message.split('\n')[0] ?? ''})` };
    }
  }
  if (kind === 'uri' || (SCHEME.test(value) && !DRIVE.test(value))) return { notPath: true };
  if (value.trim() === '') return { notPath: true };
  return { path: value };
}

export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

/** The real location of an absolute path: its own real path, else its nearest existing ancestor's plus the rest. */
export function realLocation(absolute: string, probe: PathProbe): string {
  const rest: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    const real = probe.realpath(at);
    if (real !== undefined) return rest.length === 0 ? real : join(real, ...rest.reverse());
    const parent = dirname(at);
    if (parent === at) return absolute;
    rest.push(relative(parent, at));
  }
}

/** Whether `path` is `root` or lies under it, by whole segments. */
export function within(path: string, root: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? path.toLowerCase() : path;
  const r = caseInsensitive ? root.toLowerCase() : root;
  if (p === r) return true;
  return p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/** One way a path argument may be read: where it points as written, and where it really leads. */
export interface Candidate {
  lexical: string;
  real: string;
}

/**
 * Every place `path` may name: absolute (after `~`) → one; relative → one per base (the scope roots),
 * none without bases (a relative path then has only its own segments to judge).
 */
export function candidates(path: string, bases: readonly string[], probe: PathProbe): Candidate[] {
  const expanded = expandHome(path, probe.home);
  const lexicals = isAbsolute(expanded) ? [resolve(expanded)] : bases.map((base) => resolve(base, expanded));
  return lexicals.map((lexical) => ({ lexical, real: realLocation(lexical, probe) }));
}
