/**
 * Finding and decoding encoded runs for the encoded-payloads detector: base64 (standard and URL-safe,
 * including line-wrapped runs), hex, and Ascii85/Z85 with or without `<~ ~>` (base85-runs.ts). A run only counts when its decoded
 * bytes are readable text: image data, hashes, UUIDs and compressed blobs decode to binary and are
 * dropped here, which is what keeps them quiet (issue 4).
 */
import { isUtf8 } from 'node:buffer';
import { asciiBytes } from '../text/literal-scan.js';
import { base85Runs, decodeBase85 } from './base85-runs.js';

export interface EncodedRun {
  kind: 'base64' | 'hex' | 'ascii85' | 'z85';
  encoded: string;
  decoded: string;
}

// One scan finds runs of the base64 alphabet (hex runs are a subset and are classified afterwards);
// line-wrapped base64 (GitHub contents API) is re-joined when only a newline separates two runs.
// The scan walks bytes (`asciiBytes`: one loop for strings of either width) and probes every MIN_RUN-th one: a run that long must cover a probe, so prose
// costs one look per MIN_RUN characters plus its words, instead of a regex attempt at every position.
export const MIN_RUN = 20;
const ALPHABET: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (/[A-Za-z0-9+/_-]/.test(String.fromCharCode(b)) ? 1 : 0));
const EQUALS = 0x3d;
const classTable = (lo: number, hi: number): Uint8Array => Uint8Array.from({ length: 256 }, (_, b) => (b >= lo && b <= hi ? 1 : 0));
const DIGIT = classTable(0x30, 0x39);
const UPPER = classTable(0x41, 0x5a);
const LOWER = classTable(0x61, 0x7a);
const TAIL = /^(?:\\n|\r?\n)([A-Za-z0-9+/_-]{4,19}={0,2})(?![A-Za-z0-9+/_=-])/;
const HEX_ONLY = /^[0-9a-fA-F]+$/;
/** Enough runs for any real message; past this a message is a blob, not a hiding place for a note. */
const MAX_RUNS = 4096;

/**
 * The first maximal run of the alphabet at or after `from`, at least MIN_RUN long, plus up to two `=`:
 * what `/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}/g` finds from `from` (which never lies inside a run).
 */
function nextRun(bytes: Uint8Array, from: number): [number, number] | undefined {
  const n = bytes.length;
  let probe = from + MIN_RUN - 1;
  while (probe < n) {
    if (ALPHABET[bytes[probe]!] === 0) {
      probe += MIN_RUN;
      continue;
    }
    let start = probe;
    while (start > from && ALPHABET[bytes[start - 1]!] === 1) start--;
    let end = probe + 1;
    while (end < n && ALPHABET[bytes[end]!] === 1) end++;
    if (end - start >= MIN_RUN) {
      const runEnd = end;
      while (end < runEnd + 2 && bytes[end] === EQUALS) end++;
      return [start, end];
    }
    probe = end + MIN_RUN;
  }
  return undefined;
}

/** True when exactly a line break (`\n`, `\r\n` or an escaped `\\n`) separates `from` and `to`. */
function onlyLineBreak(text: string, from: number, to: number): boolean {
  if (to - from === 1) return text.charCodeAt(from) === 0x0a;
  if (to - from !== 2) return false;
  const pair = text.slice(from, to);
  return pair === '\r\n' || pair === '\\n';
}

/** Runs of the base64 alphabet with their line-wrapped continuations joined (`bytes`: `asciiBytes(text)`). */
export function alphabetRuns(text: string, bytes: Uint8Array = asciiBytes(text)): string[] {
  const runs: string[] = [];
  let prevEnd = -1;
  let from = 0;
  let run: [number, number] | undefined;
  while (runs.length < MAX_RUNS && (run = nextRun(bytes, from)) !== undefined) {
    const [start, end] = run;
    if (prevEnd >= 0 && onlyLineBreak(text, prevEnd, start)) runs[runs.length - 1] += text.slice(start, end);
    else runs.push(text.slice(start, end));
    from = end;
    prevEnd = end;
    const tail = TAIL.exec(text.slice(prevEnd, prevEnd + 24));
    if (tail) {
      runs[runs.length - 1] += tail[1] ?? '';
      prevEnd += tail[0].length;
    }
  }
  return runs;
}

/** `bytes` gives `asciiBytes(text)` when the caller shares them (`sharedBytes`). */
export function candidateRuns(text: string, bytesOf: () => Uint8Array = () => asciiBytes(text)): { kind: EncodedRun['kind']; encoded: string }[] {
  const out: { kind: EncodedRun['kind']; encoded: string }[] = [];
  // Shorter than any undelimited run (MIN_RUN; base85 runs are longer still) and without `<~`: nothing to find.
  if (text.length < MIN_RUN && !text.includes('<~')) return out;
  const bytes = bytesOf();
  for (const encoded of alphabetRuns(text, bytes)) {
    if (HEX_ONLY.test(encoded)) {
      if (encoded.length >= 24 && encoded.length % 2 === 0) out.push({ kind: 'hex', encoded });
    } else if (looksLikeBase64(encoded)) out.push({ kind: 'base64', encoded });
  }
  out.push(...base85Runs(text, bytes));
  return out;
}

/**
 * Plain words and identifiers (`this.configurationManagerInstance`, paths) are not base64 runs: encoded
 * text mixes upper case, lower case and digits throughout. Counted on a prefix, in one pass, by table
 * lookups rather than branches (on random base64 a branch per class mispredicts at every character).
 */
function looksLikeBase64(s: string): boolean {
  let digits = 0;
  let upper = 0;
  let lower = 0;
  const n = Math.min(s.length, 256);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) & 0xff;
    digits += DIGIT[c] ?? 0;
    upper += UPPER[c] ?? 0;
    lower += LOWER[c] ?? 0;
  }
  return upper >= 3 && lower >= 3 && (digits >= 1 || s.endsWith('=') || upper / n > 0.2);
}

export function decodeRun(kind: EncodedRun['kind'], encoded: string): string | undefined {
  // Text encodes to text from its first bytes on: reject binary (images, keys, hashes) on a short prefix.
  // A base85 prefix is cut at a group boundary (125 characters), or its padded last group is noise.
  const head = kind === 'ascii85' || kind === 'z85' ? encoded.replace(/\s/g, '').slice(0, 125) : encoded.slice(0, 128);
  if (encoded.length > 256 && decodeBytes(kind, head) === undefined) return undefined;
  return decodeBytes(kind, encoded);
}

function decodeBytes(kind: EncodedRun['kind'], encoded: string): string | undefined {
  let bytes: Buffer;
  if (kind === 'hex') bytes = Buffer.from(encoded, 'hex');
  else if (kind === 'ascii85' || kind === 'z85') bytes = decodeBase85(kind, encoded);
  else bytes = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8) return undefined;
  // Bytes that are not UTF-8 decode with U+FFFD, which isReadable rejects: binary is dropped undecoded.
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString('utf8');
  return isReadable(text) ? text : undefined;
}

/** Readable means printable, mostly letters and spaces: natural language or source, not binary. */
export function isReadable(text: string): boolean {
  // One pass over the text (a letter-matching regex allocated an array per run: ~10 ms per MiB of runs).
  let printable = 0;
  let letters = 0;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) return false;
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) printable++;
    if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) letters++;
    if (!space && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c || c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff)) space = true;
  }
  return text.length > 0 && printable / text.length >= 0.95 && letters / text.length >= 0.5 && space;
}

export function decodeAll(runs: readonly { kind: EncodedRun['kind']; encoded: string }[]): EncodedRun[] {
  const out: EncodedRun[] = [];
  for (const run of runs) {
    const decoded = decodeRun(run.kind, run.encoded);
    if (decoded !== undefined) out.push({ ...run, decoded });
  }
  return out;
}
