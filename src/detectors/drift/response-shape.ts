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

/**
 * The skeleton of a payload, computed once per payload object: `review` (judging) and `observe`
 * (learning) both ask for the same delivered result, and a redacted result is a new object (issue 14).
 * Payloads are not mutated after parsing. Digests are kept by their path list (a tool's few shapes).
 */
const skeletons = new WeakMap<object, Skeleton>();
const digests = new Map<string, string>();
const MAX_DIGESTS = 512;

export function skeletonOf(payload: unknown): Skeleton {
  const cached = typeof payload === 'object' && payload !== null ? skeletons.get(payload) : undefined;
  if (cached) return cached;
  const paths = new Set<string>();
  walk(payload, '', paths, 0);
  const sorted = [...paths].sort();
  const joined = sorted.join('\n');
  let digest = digests.get(joined);
  if (digest === undefined) {
    digest = createHash('sha256').update(joined).digest('hex').slice(0, 12);
    if (digests.size >= MAX_DIGESTS) digests.clear();
    digests.set(joined, digest);
  }
  const skeleton = { digest, paths: sorted };
  if (typeof payload === 'object' && payload !== null) skeletons.set(payload, skeleton);
  return skeleton;
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
  if (text.length > MAX_JSON_TEXT) return undefined;
  const start = text[firstNonSpace(text)];
  if (start !== '{' && start !== '[') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the first character `trimStart` would keep (no copy of a long text). */
function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
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
