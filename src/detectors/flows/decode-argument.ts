/**
 * The readings of an outbound argument that flow tracking fingerprints (issue 9): the text as sent, and
 * what it says once decoded — percent-encoding (a value inside a URL query), JSON strings (a request
 * body passed as one string) and base64 runs that decode to readable text — two levels deep, so an
 * e-mail address percent-encoded inside a JSON body is still found. Bounded: at most `MAX_VIEWS`
 * readings, none longer than the input times four, so a hostile argument cannot make the check slow.
 */

import { asciiClass, forEachLongRun } from './long-runs.js';

const MAX_DEPTH = 2;
const MAX_VIEWS = 32;
/** The shortest run of base64 characters worth decoding. */
const MIN_BASE64_RUN = 24;
/** Base64 characters, both alphabets (`+/` and `-_`). */
const BASE64_CHARS = asciiClass((c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f);

/**
 * Each maximal run of at least `MIN_BASE64_RUN` base64 characters, with up to two `=` after it. A
 * skipping scan over char codes (long-runs.ts): a regular expression for it was an eighth of the CPU
 * of checking a 4 KB argument, and a read of every character still 7%.
 */
function base64Runs(text: string): string[] {
  const runs: string[] = [];
  forEachLongRun(text, MIN_BASE64_RUN, BASE64_CHARS, (start, end) => {
    let padded = end;
    while (padded < text.length && padded - end < 2 && text.charCodeAt(padded) === 0x3d) padded++;
    runs.push(text.slice(start, padded));
  });
  return runs;
}

function percentDecoded(text: string): string | undefined {
  if (!text.includes('%') || !/%[0-9A-Fa-f]{2}/.test(text)) return undefined;
  return text.replace(/\+/g, ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** The first character that is not JSON whitespace, as a code; 0 for none. */
function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return 0;
}

function jsonStrings(text: string): string | undefined {
  // Decided on the first character before copying anything: most arguments are not JSON.
  const first = firstNonSpace(text);
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) return undefined;
  const trimmed = text.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const leaves: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 32 || leaves.length > 10_000) return;
    if (typeof v === 'string') leaves.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(parsed, 0);
  return leaves.length > 0 ? leaves.join('\n') : undefined;
}

/** Mostly printable text without replacement characters: what a base64 run that hid text decodes to. */
function readable(text: string): boolean {
  if (text.length === 0 || text.includes('\uFFFD')) return false;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) printable++;
  }
  return printable / text.length >= 0.95;
}

function base64Decoded(text: string): string | undefined {
  const decoded: string[] = [];
  for (const run of base64Runs(text)) {
    const out = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (readable(out)) decoded.push(out);
  }
  return decoded.length > 0 ? decoded.join('\n') : undefined;
}

const DECODERS = [percentDecoded, jsonStrings, base64Decoded];

/** The argument as sent, then each distinct decoding of it (and of those), in discovery order. */
export function argumentViews(text: string): string[] {
  const views = new Set<string>([text]);
  const limit = text.length * 4 + 64;
  const expand = (t: string, depth: number): void => {
    if (depth >= MAX_DEPTH) return;
    for (const decode of DECODERS) {
      if (views.size >= MAX_VIEWS) return;
      const next = decode(t);
      if (next === undefined || next.length > limit || views.has(next)) continue;
      views.add(next);
      expand(next, depth + 1);
    }
  };
  expand(text, 0);
  return [...views];
}
