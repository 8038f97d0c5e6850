/**
 * The canonical form of a catalog definition (issue 10): JSON with object keys sorted, and the lists
 * whose order carries no meaning (`required`, `enum`, a `type` list) sorted too, so a server that
 * re-serialises the same definition in another order is not "changed". Digests are SHA-256 (hex) of
 * the canonical text, for the whole definition and for each top-level field, so a change is told field
 * by field (`description`, `inputSchema`, `annotations`, …).
 */
import { createHash } from 'node:crypto';
import type { PinnedDefinition } from '../../core/index.js';

/** Keys whose array value is a set. */
const SET_KEYS = new Set(['required', 'enum', 'type']);

function canonical(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, undefined));
    if (key === undefined || !SET_KEYS.has(key)) return items;
    return items.map((v) => [JSON.stringify(v), v] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k], k);
  return out;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, undefined)) ?? 'null';
}

export function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The pinned form of a definition: whole and per-field digests and the canonical text. */
export function pinnedDefinition(item: unknown): PinnedDefinition {
  const record = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item };
  const fields: Record<string, string> = {};
  for (const k of Object.keys(record).sort()) fields[k] = digestOf(canonicalJson(record[k]));
  const definition = canonicalJson(record);
  return { digest: digestOf(definition), fields, definition };
}

/** Top-level fields that differ between two pinned forms (added and removed ones included), sorted. */
export function changedFields(a: PinnedDefinition, b: PinnedDefinition): string[] {
  const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
  return [...keys].filter((k) => a.fields[k] !== b.fields[k]).sort();
}

/** Whether two definitions are the same apart from the fields named (a rename keeps everything but its name). */
export function sameBesides(a: PinnedDefinition, b: PinnedDefinition, besides: readonly string[]): boolean {
  return changedFields(a, b).every((k) => besides.includes(k));
}

/** The definition a pinned form was made from, when its text was kept. */
export function definitionOf(d: PinnedDefinition | undefined): Record<string, unknown> | undefined {
  if (d?.definition === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(d.definition);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
