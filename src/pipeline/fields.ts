/**
 * Field extraction: which strings of a message are inspected, and under which JSON path (issue 4,
 * "Every message in both directions passes one pipeline"). Only natural-language strings (role `prose`),
 * names (role `name`) and upstream-bound argument values (role `argument`) are extracted. ids, methods,
 * URIs, mimeTypes, binary `data`/`blob` and cursors are never extracted, so they can never be rewritten.
 * An upstream's JSON-RPC error (`payloadKind: 'error'`) is text the client reads too: its message and every
 * string of its `data` are prose (issue 7, item 4).
 */
import { formatPath, ownValue, type Envelope } from '../core/index.js';
import type { Field, FieldRole } from './types.js';
import { normalise } from './normalise.js';

export type PathSegment = string | number;

/** A field plus the location of its string inside the payload, used when a redaction rewrites it. */
export interface LocatedField extends Field {
  at: readonly PathSegment[];
}

/** Where the walk puts what it finds: a string field, or the place where nesting passed MAX_DEPTH. */
interface Sink {
  field(value: unknown, at: readonly PathSegment[], role: FieldRole): void;
  tooDeep(at: readonly PathSegment[]): void;
}

/**
 * Levels below a walk's root (arguments, structuredContent, a schema, error data) that are inspected.
 * Anything nested deeper is reported to `Sink.tooDeep`, and the pipeline blocks the message
 * (`inspection/too-deep`): what cannot be inspected must not pass (issue 7, item 5).
 */
export const MAX_DEPTH = 32;

/** The inspected fields of a message and, when its nesting passed MAX_DEPTH, the first place it did. */
export interface Extraction {
  fields: LocatedField[];
  tooDeep?: string;
}

export function extractFields(envelope: Envelope): LocatedField[] {
  return extract(envelope).fields;
}

export function extract(envelope: Envelope): Extraction {
  const out: Extraction = { fields: [] };
  walkMethod(envelope, {
    field(value, at, role) {
      if (typeof value !== 'string' || value.length === 0) return;
      const { text, hidden } = normalise(value);
      out.fields.push({ path: formatPath(at), at, role, raw: value, text, hidden });
    },
    tooDeep(at) {
      out.tooDeep ??= formatPath(at);
    },
  });
  return out;
}

/** The same field holding a rewritten string (after a strip), normalised again for the detectors after it. */
export function withRaw(field: LocatedField, raw: string): LocatedField {
  const { text, hidden } = normalise(raw);
  return { path: field.path, at: field.at, role: field.role, raw, text, hidden };
}

function walkMethod(envelope: Envelope, sink: Sink): void {
  const p = envelope.payload;
  if (envelope.payloadKind === 'error') return walkError(p, sink);
  switch (envelope.method) {
    case 'tools/list':
      return eachItem(p, 'tools', (item, at) => walkTool(item, at, sink));
    case 'prompts/list':
      return eachItem(p, 'prompts', (item, at) => walkPrompt(item, at, sink));
    case 'resources/list':
      return eachItem(p, 'resources', (item, at) => walkResource(item, at, sink));
    case 'resources/templates/list':
      return eachItem(p, 'resourceTemplates', (item, at) => walkResource(item, at, sink));
    case 'initialize':
      return sink.field(get(p, 'instructions'), ['instructions'], 'prose');
    case 'tools/call':
      if (envelope.direction === 'to_upstream') return walkLeaves(get(p, 'arguments'), ['arguments'], sink, 'argument', 0);
      return walkCallResult(p, sink);
    case 'resources/read':
      return eachArray(get(p, 'contents'), ['contents'], (c, at) => sink.field(get(c, 'text'), [...at, 'text'], 'prose'));
    case 'prompts/get':
      sink.field(get(p, 'description'), ['description'], 'prose');
      return eachArray(get(p, 'messages'), ['messages'], (m, at) => walkContent(get(m, 'content'), [...at, 'content'], sink));
    case 'sampling/createMessage':
      sink.field(get(p, 'systemPrompt'), ['systemPrompt'], 'prose');
      return eachArray(get(p, 'messages'), ['messages'], (m, at) => walkContent(get(m, 'content'), [...at, 'content'], sink));
    case 'elicitation/create':
      sink.field(get(p, 'message'), ['message'], 'prose');
      return walkSchema(get(p, 'requestedSchema'), ['requestedSchema'], sink, 0);
    default:
      return undefined;
  }
}

function get(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? ownValue(obj, key) : undefined;
}

function eachArray(arr: unknown, at: readonly PathSegment[], fn: (item: unknown, at: readonly PathSegment[]) => void): void {
  if (Array.isArray(arr)) arr.forEach((item, i) => fn(item, [...at, i]));
}

/** `tools/list` and `prompts/list` payloads are one entry; a whole result (`{tools: [...]}`) is accepted too. */
function eachItem(p: unknown, key: string, fn: (item: unknown, at: readonly PathSegment[]) => void): void {
  const list = get(p, key);
  if (Array.isArray(list)) eachArray(list, [key], fn);
  else fn(p, []);
}

function walkTool(tool: unknown, at: readonly PathSegment[], sink: Sink): void {
  sink.field(get(tool, 'name'), [...at, 'name'], 'name');
  sink.field(get(tool, 'title'), [...at, 'title'], 'prose');
  sink.field(get(tool, 'description'), [...at, 'description'], 'prose');
  walkSchema(get(tool, 'inputSchema'), [...at, 'inputSchema'], sink, 0);
  walkSchema(get(tool, 'outputSchema'), [...at, 'outputSchema'], sink, 0);
  sink.field(get(get(tool, 'annotations'), 'title'), [...at, 'annotations', 'title'], 'prose');
}

function walkPrompt(prompt: unknown, at: readonly PathSegment[], sink: Sink): void {
  sink.field(get(prompt, 'name'), [...at, 'name'], 'name');
  sink.field(get(prompt, 'title'), [...at, 'title'], 'prose');
  sink.field(get(prompt, 'description'), [...at, 'description'], 'prose');
  eachArray(get(prompt, 'arguments'), [...at, 'arguments'], (arg, a) => {
    sink.field(get(arg, 'name'), [...a, 'name'], 'name');
    sink.field(get(arg, 'title'), [...a, 'title'], 'prose');
    sink.field(get(arg, 'description'), [...a, 'description'], 'prose');
  });
}

/** A resource or resource template: its name and the prose shown to the model; never `uri`/`uriTemplate`. */
function walkResource(resource: unknown, at: readonly PathSegment[], sink: Sink): void {
  sink.field(get(resource, 'name'), [...at, 'name'], 'name');
  sink.field(get(resource, 'title'), [...at, 'title'], 'prose');
  sink.field(get(resource, 'description'), [...at, 'description'], 'prose');
}

const SCHEMA_PROSE = ['title', 'description', 'default', 'const'] as const;
const SCHEMA_LISTS = ['enum', 'examples', 'enumNames'] as const;
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const;
const SCHEMA_SUBS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'] as const;
const SCHEMA_ARRAYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'] as const;

/** JSON Schema walk: descriptions, titles, defaults, enums, examples and property names (issue 4). */
function walkSchema(schema: unknown, at: readonly PathSegment[], sink: Sink, depth: number): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  if (depth > MAX_DEPTH) return hasChildren(schema) ? sink.tooDeep(at) : undefined;
  for (const key of SCHEMA_PROSE) walkLeaves(get(schema, key), [...at, key], sink, 'prose', depth + 1);
  for (const key of SCHEMA_LISTS) eachArray(get(schema, key), [...at, key], (v, a) => sink.field(v, a, 'prose'));
  for (const key of SCHEMA_MAPS) {
    const map = get(schema, key);
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [name, sub] of Object.entries(map)) {
      sink.field(name, [...at, key, name], 'name');
      walkSchema(sub, [...at, key, name], sink, depth + 1);
    }
  }
  for (const key of SCHEMA_SUBS) walkSchema(get(schema, key), [...at, key], sink, depth + 1);
  for (const key of SCHEMA_ARRAYS) eachArray(get(schema, key), [...at, key], (s, a) => walkSchema(s, a, sink, depth + 1));
}

/** Every string leaf of a JSON value (structured content, argument objects, schema defaults). */
function walkLeaves(value: unknown, at: readonly PathSegment[], sink: Sink, role: FieldRole, depth: number): void {
  if (depth > MAX_DEPTH && hasChildren(value)) return sink.tooDeep(at);
  if (typeof value === 'string') sink.field(value, at, role);
  else if (Array.isArray(value)) value.forEach((v, i) => walkLeaves(v, [...at, i], sink, role, depth + 1));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkLeaves(v, [...at, k], sink, role, depth + 1);
  }
}

/** An upstream's JSON-RPC error, `{ error: { code, message, data } }`: the message and every string of `data`. */
function walkError(p: unknown, sink: Sink): void {
  const error = get(p, 'error');
  sink.field(get(error, 'message'), ['error', 'message'], 'prose');
  walkLeaves(get(error, 'data'), ['error', 'data'], sink, 'prose', 0);
}

/** An array or object with something in it (what the walk would have to descend into). */
function hasChildren(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

function walkCallResult(p: unknown, sink: Sink): void {
  walkContent(get(p, 'content'), ['content'], sink);
  walkLeaves(get(p, 'structuredContent'), ['structuredContent'], sink, 'prose', 0);
}

/** Content blocks: text, embedded resource text, resource-link descriptions. Never `data`, `blob`, `uri`, `mimeType`. */
function walkContent(content: unknown, at: readonly PathSegment[], sink: Sink): void {
  const one = (block: unknown, a: readonly PathSegment[]): void => {
    const type = get(block, 'type');
    if (type === 'text') sink.field(get(block, 'text'), [...a, 'text'], 'prose');
    else if (type === 'resource') sink.field(get(get(block, 'resource'), 'text'), [...a, 'resource', 'text'], 'prose');
    else if (type === 'resource_link') {
      sink.field(get(block, 'title'), [...a, 'title'], 'prose');
      sink.field(get(block, 'description'), [...a, 'description'], 'prose');
    }
  };
  if (Array.isArray(content)) eachArray(content, at, one);
  else one(content, at);
}
