/**
 * Filesystem scope (issue 11): path arguments of a `tools/call` going upstream are resolved (`~`, `..`,
 * `file:` URIs, symlinks through the `PathProbe` port) and judged by whole path segments:
 * - `fs-scope/sensitive-path` critical, for every upstream, scope or not: credentials (`.ssh/`, `.aws/`,
 *   `.gnupg/`, `.env`), `.git/config` and `.git/hooks/`, shell rc files and MCP client config files
 *   (core/sensitive-paths.ts) — as written, where it points, and where its symlinks lead;
 * - `fs-scope/outside-scope` critical: for an upstream with `scope`, a path that points, or really leads,
 *   outside every scope root (a relative path is tried against each root);
 * - `fs-scope/unchecked-path` critical: for an upstream with `scope`, a path the gateway cannot resolve
 *   (a `file:` URI with a host or an encoded slash, a NUL byte) or more path values than it checks.
 * Which arguments are paths comes from their names and the tool's input schema (paths/path-arguments.ts),
 * which the catalog view supplies. Findings block by default; `fs-scope: alert` only records them.
 */
import { normalize } from 'node:path';
import { ownValue, sensitivePath, type CatalogView, type PathProbe } from '../core/index.js';
import type { DetectorContext, LocalDetector, RawFinding } from '../pipeline/types.js';
import { pathArguments, type PathArgument } from './paths/path-arguments.js';
import { candidates, parsePathValue, within, type Candidate } from './paths/resolve-path.js';

export interface FsScopeOptions {
  /** Upstream name → its scope roots (absolute, as normalised by the config); upstreams absent here have none. */
  scopes: ReadonlyMap<string, readonly string[]>;
}

export interface FsScopePorts {
  paths: PathProbe;
  catalog: CatalogView;
}

interface Root {
  lexical: string;
  real: string;
}

function inside(path: string, roots: readonly Root[], fold: boolean): boolean {
  return roots.some((r) => within(path, r.lexical, fold) || within(path, r.real, fold));
}

function finding(rule: string, arg: PathArgument, reason: string): RawFinding {
  return { rule: `fs-scope/${rule}`, severity: 'critical', path: arg.at, reason, match: arg.value };
}

/** The first sensitive place a path argument names, as written or once resolved. */
function sensitive(written: string, places: readonly Candidate[], fold: boolean): { what: string; where: string } | undefined {
  for (const where of [normalize(written), ...places.flatMap((c) => [c.lexical, c.real])]) {
    const hit = sensitivePath(where, fold);
    if (hit) return { what: hit.what, where };
  }
  return undefined;
}

function judge(arg: PathArgument, upstream: string, roots: readonly Root[] | undefined, probe: PathProbe): RawFinding | undefined {
  const parsed = parsePathValue(arg.value, arg.kind);
  if ('notPath' in parsed) return undefined;
  if ('invalid' in parsed) return roots ? finding('unchecked-path', arg, `argument ${arg.at} cannot be checked against the scope of upstream "${upstream}": ${parsed.invalid}`) : undefined;
  const places = candidates(parsed.path, roots?.map((r) => r.lexical) ?? [], probe);
  const fold = probe.caseInsensitive;
  const hit = sensitive(parsed.path, places, fold);
  if (hit) return finding('sensitive-path', arg, `argument ${arg.at} leads to ${hit.what} (${hit.where}), which no upstream may touch`);
  if (!roots) return undefined;
  const outside = places.find((c) => !inside(c.lexical, roots, fold) || !inside(c.real, roots, fold));
  if (!outside) return undefined;
  const where = inside(outside.lexical, roots, fold) ? `${outside.lexical} (a link to ${outside.real})` : outside.lexical;
  return finding('outside-scope', arg, `argument ${arg.at} resolves to ${where}, outside the scope of upstream "${upstream}" (${roots.map((r) => r.lexical).join(', ')})`);
}

export function createFsScopeDetector(options: FsScopeOptions, ports: FsScopePorts): LocalDetector {
  const schemaOf = (upstream: string, tool: string | undefined) => ports.catalog.tools().find((t) => t.upstream === upstream && t.publicName === tool)?.inputSchema;
  return {
    id: 'fs-scope',
    phase: 'call',
    methods: ['tools/call'],
    directions: ['to_upstream'],
    inspect(ctx: DetectorContext): RawFinding[] {
      const { upstream, tool, payload } = ctx.envelope;
      const scope = options.scopes.get(upstream);
      const roots = scope?.map((lexical) => ({ lexical, real: ports.paths.realpath(lexical) ?? lexical }));
      const args = pathArguments(ownValue(payload, 'arguments'), schemaOf(upstream, tool));
      const findings = args.found.map((arg) => judge(arg, upstream, roots, ports.paths)).filter((f) => f !== undefined);
      if (args.overflow && roots) {
        findings.push({ rule: 'fs-scope/unchecked-path', severity: 'critical', path: 'arguments', reason: `too many or too deeply nested path arguments to check against the scope of upstream "${upstream}"`, match: '' });
      }
      return findings;
    },
  };
}
