/**
 * What behavioural drift measures of one tool result (issue 11): its size (the characters of the text
 * fields the model reads: cheap, no re-serialisation of a 1 MiB result) and its JSON key skeleton — the
 * set of key paths, arrays folded (`content[].text`), with a text that holds a JSON object or array read
 * as JSON too (servers that answer with JSON in a text block), bounded in depth and keys. The skeleton is
 * kept as a short digest plus the first paths, for the finding's reason.
 */
import { createHash } from 'node:crypto';
import type { Field } from '../../pipeline/types.js';

const MAX_DEPTH = 8;
const MAX_PATHS = 200;
const MAX_JSON_TEXT = 256 * 1024;

export interface Skeleton {
  digest: string;
  paths: readonly string[];
}

export function responseSize(fields: readonly Field[]): number {
  let size = 0;
  for (const f of fields) size += f.raw.length;
  return size;
}

export function skeletonOf(payload: unknown): Skeleton {
  const paths = new Set<string>();
  walk(payload, '', paths, 0);
  const sorted = [...paths].sort();
  return { digest: createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 12), paths: sorted };
}

function walk(value: unknown, at: string, paths: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH || paths.size >= MAX_PATHS) return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 50)) walk(item, `${at}[]`, paths, depth + 1);
    return;
  }
  if (typeof value === 'string') {
    const json = jsonIn(value);
    if (json !== undefined) walk(json, `${at}#`, paths, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '_meta') continue;
    const path = at === '' ? key : `${at}.${key}`;
    paths.add(path);
    if (paths.size >= MAX_PATHS) return;
    walk(child, path, paths, depth + 1);
  }
}

/** The JSON object or array a text holds, if it is one. */
function jsonIn(text: string): unknown {
  const start = text.trimStart()[0];
  if ((start !== '{' && start !== '[') || text.length > MAX_JSON_TEXT) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Median and median absolute deviation of a non-empty list. */
export function medianMad(values: readonly number[]): { median: number; mad: number } {
  const median = middle(values);
  return { median, mad: middle(values.map((v) => Math.abs(v - median))) };
}

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
