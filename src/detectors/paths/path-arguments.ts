/**
 * Which tool-call arguments are paths (issue 11, filesystem scope): by name — `path`, `file`,
 * `filename`, `destination`, `source`, their plurals and `*Path`/`*Dir`/`*File` forms — or by schema
 * (`format: uri`, `uri-reference`, `iri`), and `uri`/`url` names, whose values count only as `file:` URIs.
 * Arrays of them and nested objects are walked with the tool's input schema alongside, so
 * `edits[0].path` and `paths[2]` are found. The walk is bounded: past `MAX_PATH_VALUES` strings or
 * `MAX_WALK_DEPTH` levels the caller is told (`overflow`), because a path it did not check must not pass.
 */
import { ownValue } from '../../core/index.js';

export interface PathArgument {
  /** JSON path inside the payload, e.g. `arguments.paths[1]`. */
  at: string;
  value: string;
  /** `uri`: only a `file:` URI is a path; anything else is left alone. */
  kind: 'path' | 'uri';
}

export interface PathArguments {
  found: PathArgument[];
  overflow: boolean;
}

export const MAX_PATH_VALUES = 1000;
export const MAX_WALK_DEPTH = 32;

const PATH_NAMES = new Set([
  'path', 'paths', 'file', 'files', 'filename', 'filenames', 'destination', 'destinations', 'source', 'sources', 'dir', 'dirs',
  'directory', 'directories', 'folder', 'folders', 'cwd',
]);
const PATH_SUFFIXES = ['path', 'paths', 'filename', 'filenames', 'file', 'files', 'dir', 'directory', 'folder'];
/** Names ending like a path that hold something else (query languages, settings). */
const NOT_PATHS = new Set(['xpath', 'jsonpath', 'keypath', 'urlpath', 'profile', 'profiles', 'dotfile', 'tsfile']);
const URI_NAMES = new Set(['uri', 'uris', 'url', 'urls']);
const URI_FORMATS = new Set(['uri', 'uri-reference', 'iri', 'iri-reference']);

type Schema = Readonly<Record<string, unknown>> | undefined;

function asSchema(value: unknown): Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The kind an argument name or its schema gives it, if any. */
export function argumentKind(name: string, schema: Schema): PathArgument['kind'] | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const format = schema?.format ?? asSchema(schema?.items)?.format;
  if (typeof format === 'string' && URI_FORMATS.has(format)) return 'uri';
  if (URI_NAMES.has(key) || key.endsWith('uri') || key.endsWith('uris')) return 'uri';
  if (NOT_PATHS.has(key)) return undefined;
  if (PATH_NAMES.has(key) || PATH_SUFFIXES.some((s) => key.endsWith(s))) return 'path';
  return undefined;
}

function segment(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

/** Path-like strings of `args` (a tools/call `arguments` object), read with the tool's input schema. */
export function pathArguments(args: unknown, inputSchema: unknown): PathArguments {
  const out: PathArguments = { found: [], overflow: false };
  const walk = (value: unknown, schema: Schema, at: string, kind: PathArgument['kind'] | undefined, depth: number): void => {
    if (out.overflow) return;
    if (depth > MAX_WALK_DEPTH) {
      out.overflow = true;
      return;
    }
    if (typeof value === 'string') {
      if (kind === undefined) return;
      if (out.found.length >= MAX_PATH_VALUES) out.overflow = true;
      else out.found.push({ at, value, kind });
      return;
    }
    if (Array.isArray(value)) {
      const items = asSchema(schema?.items);
      value.forEach((item, i) => walk(item, items, segment(at, i), kind, depth + 1));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const properties = asSchema(schema?.properties);
    for (const key of Object.keys(value)) {
      const sub = asSchema(ownValue(properties, key));
      walk(ownValue(value as Record<string, unknown>, key), sub, segment(at, key), argumentKind(key, sub) ?? kind, depth + 1);
    }
  };
  walk(args, asSchema(inputSchema), 'arguments', undefined, 0);
  return out;
}
