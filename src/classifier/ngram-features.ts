/**
 * The features of the local scorer (issue 15): hashed character 3–5-grams and word 1–2-grams of a
 * window of text, lower-cased, digits folded to `0`, whitespace runs folded to one space. Hashing
 * (FNV-1a, 32 bit, masked to the model's bucket count) needs no vocabulary, so the model file is only
 * weights and an unseen word still lands on character n-grams it shares with seen ones.
 * A long text is cut into windows of about `WINDOW_CHARS` at line and sentence ends and each window is
 * scored on its own: an injected sentence in a long e-mail is not diluted by the e-mail around it.
 * The training script (`scripts/train-scorer.js`) imports these functions from `dist/`, so training
 * and inference can never featurise differently.
 */

/** Target window length in UTF-16 units; a window ends at a line or sentence end before it when it can. */
export const WINDOW_CHARS = 320;

const FNV_PRIME = 0x01000193;
const CHAR_SEED = 0x811c9dc5;
const WORD_SEED = 0x3b9aca07;
const PAIR_SEED = 0x5bd1e995;
const SPACE = 0x20;

/** A window of a text: `[start, end)` in UTF-16 units. */
export interface Window {
  start: number;
  end: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000;
}

function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0x30 || c === 0x27 || c >= 0xc0;
}

/** Where a segment may end: after a newline, or after `.`, `!`, `?` followed by a space. */
function segmentEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) ends.push(i + 1);
    else if ((c === 0x2e || c === 0x21 || c === 0x3f) && isSpace(text.charCodeAt(i + 1))) ends.push(i + 1);
  }
  if (ends[ends.length - 1] !== text.length) ends.push(text.length);
  return ends;
}

/** A segment shorter than this (non-space characters) is not scored on its own: too short to carry a task. */
export const MIN_SEGMENT_CHARS = 24;

/**
 * Cuts `text` into windows of at most about `size` characters, at segment ends where possible. With
 * `segments`, each line or sentence of a text that has more than one is also a window of its own (a
 * head's `segments` flag in the model file): a one-line task appended to an e-mail scores by itself,
 * not only mixed with the e-mail around it. Segments come after the packed windows.
 */
export function windowsOf(text: string, size = WINDOW_CHARS, segments = false): Window[] {
  const packed = packedWindows(text, size);
  if (!segments) return packed;
  const extra: Window[] = [];
  let start = 0;
  for (const end of segmentEnds(text)) {
    if (end - start <= size && nonSpace(text, start, end) >= MIN_SEGMENT_CHARS) extra.push({ start, end });
    start = end;
  }
  if (extra.length <= 1) return packed;
  return [...packed, ...extra];
}

function nonSpace(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) n++;
  return n;
}

function packedWindows(text: string, size: number): Window[] {
  if (text.length <= size) return [{ start: 0, end: text.length }];
  const out: Window[] = [];
  let start = 0;
  let last = 0;
  for (const end of segmentEnds(text)) {
    if (end - start <= size) {
      last = end;
      continue;
    }
    if (last > start) {
      out.push({ start, end: last });
      start = last;
    }
    while (end - start > size) {
      out.push({ start, end: start + size });
      start += size;
    }
    last = end;
  }
  if (last > start) out.push({ start, end: last });
  return out;
}

/**
 * Writes the feature buckets of `text[start, end)` into `out` (grown when too small) and returns how many
 * were written; `mask` is the bucket count minus one (a power of two). Duplicates are kept: a feature
 * seen twice counts twice.
 */
export function featureBuckets(text: string, window: Window, mask: number, out: { buf: Int32Array }): number {
  const lower = text.slice(window.start, window.end).toLowerCase();
  const need = lower.length * 5 + 8;
  if (out.buf.length < need) out.buf = new Int32Array(need * 2);
  const buf = out.buf;
  const codes = normalisedCodes(lower);
  let n = 0;
  for (let i = 0; i + 3 <= codes.length; i++) {
    let h = CHAR_SEED;
    const top = Math.min(codes.length, i + 5);
    for (let j = i; j < top; j++) {
      h = Math.imul(h ^ (codes[j] as number), FNV_PRIME);
      if (j - i >= 2) buf[n++] = (h >>> 0) & mask;
    }
  }
  let word = 0;
  let prev = 0;
  let inWord = false;
  for (let i = 0; i <= codes.length; i++) {
    const c = i < codes.length ? (codes[i] as number) : SPACE;
    if (isWordChar(c)) {
      word = Math.imul((inWord ? word : WORD_SEED) ^ c, FNV_PRIME);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    buf[n++] = (word >>> 0) & mask;
    if (prev !== 0) buf[n++] = (Math.imul(prev ^ Math.imul(word, PAIR_SEED), FNV_PRIME) >>> 0) & mask;
    prev = word;
    inWord = false;
  }
  return n;
}

/** The window's char codes with digits folded to `0` and whitespace runs to one space. */
function normalisedCodes(lower: string): number[] {
  const codes: number[] = [];
  let space = true;
  for (let i = 0; i < lower.length; i++) {
    let c = lower.charCodeAt(i);
    if (isSpace(c)) {
      if (space) continue;
      space = true;
      codes.push(SPACE);
      continue;
    }
    space = false;
    if (c >= 0x31 && c <= 0x39) c = 0x30;
    codes.push(c);
  }
  return codes;
}
