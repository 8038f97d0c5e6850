/**
 * Field extraction: which strings of a message are inspected, and under which JSON path (issue 4,
 * "Every message in both directions passes one pipeline"). Only natural-language strings (role `prose`),
 * names (role `name`) and upstream-bound argument values (role `argument`) are extracted. ids, methods,
 * URIs, mimeTypes, binary `data`/`blob` and cursors are never extracted, so they can never be rewritten.
 */
import type { Envelope } from '../core/index.js';
import type { Field, FieldRole } from './types.js';
import { normalise } from './normalise.js';

export type PathSegment = string | number;

/** A field plus the location of its string inside the payload, used when a redaction rewrites it. */
export interface LocatedField extends Field {
  at: readonly PathSegment[];
}

type Sink = (value: unknown, at: readonly PathSegment[], role: FieldRole) => void;

const MAX_DEPTH = 32;

export function formatPath(at: readonly PathSegment[]): string {
  let out = '';
  for (const seg of at) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function extractFields(envelope: Envelope): LocatedField[] {
  const out: LocatedField[] = [];
  const sink: Sink = (value, at, role) => {
    if (typeof value !== 'string' || value.length === 0) return;
    const { text, hidden } = normalise(value);
    out.push({ path: formatPath(at), at, role, raw: value, text, hidden });
  };
  walkMethod(envelope, sink);
  return out;
}

/** The same field holding a rewritten string (after a strip), normalised again for the detectors after it. */
export function withRaw(field: LocatedField, raw: string): LocatedField {
  const { text, hidden } = normalise(raw);
  return { path: field.path, at: field.at, role: field.role, raw, text, hidden };
}

function walkMethod(envelope: Envelope, sink: Sink): void {
  const p = envelope.payload;
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
      return sink(get(p, 'instructions'), ['instructions'], 'prose');
    case 'tools/call':
      if (envelope.direction === 'to_upstream') return walkLeaves(get(p, 'arguments'), ['arguments'], sink, 'argument', 0);
      return walkCallResult(p, sink);
    case 'resources/read':
      return eachArray(get(p, 'contents'), ['contents'], (c, at) => sink(get(c, 'text'), [...at, 'text'], 'prose'));
    case 'prompts/get':
      sink(get(p, 'description'), ['description'], 'prose');
      return eachArray(get(p, 'messages'), ['messages'], (m, at) => walkContent(get(m, 'content'), [...at, 'content'], sink));
    case 'sampling/createMessage':
      sink(get(p, 'systemPrompt'), ['systemPrompt'], 'prose');
      return eachArray(get(p, 'messages'), ['messages'], (m, at) => walkContent(get(m, 'content'), [...at, 'content'], sink));
    case 'elicitation/create':
      sink(get(p, 'message'), ['message'], 'prose');
      return walkSchema(get(p, 'requestedSchema'), ['requestedSchema'], sink, 0);
    default:
      return undefined;
  }
}

function get(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined;
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
  sink(get(tool, 'name'), [...at, 'name'], 'name');
  sink(get(tool, 'title'), [...at, 'title'], 'prose');
  sink(get(tool, 'description'), [...at, 'description'], 'prose');
  walkSchema(get(tool, 'inputSchema'), [...at, 'inputSchema'], sink, 0);
  walkSchema(get(tool, 'outputSchema'), [...at, 'outputSchema'], sink, 0);
  sink(get(get(tool, 'annotations'), 'title'), [...at, 'annotations', 'title'], 'prose');
}

function walkPrompt(prompt: unknown, at: readonly PathSegment[], sink: Sink): void {
  sink(get(prompt, 'name'), [...at, 'name'], 'name');
  sink(get(prompt, 'title'), [...at, 'title'], 'prose');
  sink(get(prompt, 'description'), [...at, 'description'], 'prose');
  eachArray(get(prompt, 'arguments'), [...at, 'arguments'], (arg, a) => {
    sink(get(arg, 'name'), [...a, 'name'], 'name');
    sink(get(arg, 'title'), [...a, 'title'], 'prose');
    sink(get(arg, 'description'), [...a, 'description'], 'prose');
  });
}

/** A resource or resource template: its name and the prose shown to the model; never `uri`/`uriTemplate`. */
function walkResource(resource: unknown, at: readonly PathSegment[], sink: Sink): void {
  sink(get(resource, 'name'), [...at, 'name'], 'name');
  sink(get(resource, 'title'), [...at, 'title'], 'prose');
  sink(get(resource, 'description'), [...at, 'description'], 'prose');
}

const SCHEMA_PROSE = ['title', 'description', 'default', 'const'] as const;
const SCHEMA_LISTS = ['enum', 'examples', 'enumNames'] as const;
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const;
const SCHEMA_SUBS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'] as const;
const SCHEMA_ARRAYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'] as const;

/** JSON Schema walk: descriptions, titles, defaults, enums, examples and property names (issue 4). */
function walkSchema(schema: unknown, at: readonly PathSegment[], sink: Sink, depth: number): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || depth > MAX_DEPTH) return;
  for (const key of SCHEMA_PROSE) walkLeaves(get(schema, key), [...at, key], sink, 'prose', depth + 1);
  for (const key of SCHEMA_LISTS) eachArray(get(schema, key), [...at, key], (v, a) => sink(v, a, 'prose'));
  for (const key of SCHEMA_MAPS) {
    const map = get(schema, key);
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [name, sub] of Object.entries(map)) {
      sink(name, [...at, key, name], 'name');
      walkSchema(sub, [...at, key, name], sink, depth + 1);
    }
  }
  for (const key of SCHEMA_SUBS) walkSchema(get(schema, key), [...at, key], sink, depth + 1);
  for (const key of SCHEMA_ARRAYS) eachArray(get(schema, key), [...at, key], (s, a) => walkSchema(s, a, sink, depth + 1));
}

/** Every string leaf of a JSON value (structured content, argument objects, schema defaults). */
function walkLeaves(value: unknown, at: readonly PathSegment[], sink: Sink, role: FieldRole, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') sink(value, at, role);
  else if (Array.isArray(value)) value.forEach((v, i) => walkLeaves(v, [...at, i], sink, role, depth + 1));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkLeaves(v, [...at, k], sink, role, depth + 1);
  }
}

function walkCallResult(p: unknown, sink: Sink): void {
  walkContent(get(p, 'content'), ['content'], sink);
  walkLeaves(get(p, 'structuredContent'), ['structuredContent'], sink, 'prose', 0);
}

/** Content blocks: text, embedded resource text, resource-link descriptions. Never `data`, `blob`, `uri`, `mimeType`. */
function walkContent(content: unknown, at: readonly PathSegment[], sink: Sink): void {
  const one = (block: unknown, a: readonly PathSegment[]): void => {
    const type = get(block, 'type');
    if (type === 'text') sink(get(block, 'text'), [...a, 'text'], 'prose');
    else if (type === 'resource') sink(get(get(block, 'resource'), 'text'), [...a, 'resource', 'text'], 'prose');
    else if (type === 'resource_link') {
      sink(get(block, 'title'), [...a, 'title'], 'prose');
      sink(get(block, 'description'), [...a, 'description'], 'prose');
    }
  };
  if (Array.isArray(content)) eachArray(content, at, one);
  else one(content, at);
}
