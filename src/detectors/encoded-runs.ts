/**
 * Finding and decoding encoded runs for the encoded-payloads detector: base64 (standard and URL-safe,
 * including line-wrapped runs), hex, and Ascii85 between `<~ ~>`. A run only counts when its decoded
 * bytes are readable text: image data, hashes, UUIDs and compressed blobs decode to binary and are
 * dropped here, which is what keeps them quiet (issue 4).
 */
import { readability } from '../pipeline/normalise.js';

export interface EncodedRun {
  kind: 'base64' | 'hex' | 'ascii85';
  encoded: string;
  decoded: string;
}

// One scan finds runs of the base64 alphabet (hex runs are a subset and are classified afterwards);
// line-wrapped base64 (GitHub contents API) is re-joined when only a newline separates two runs.
const RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}/g;
const TAIL = /^(?:\\n|\r?\n)([A-Za-z0-9+/_-]{4,19}={0,2})(?![A-Za-z0-9+/_=-])/;
const HEX_ONLY = /^[0-9a-fA-F]+$/;
const ASCII85 = /<~([!-u\s]{5,8000}?)~>/g;
/** Enough runs for any real message; past this a message is a blob, not a hiding place for a note. */
const MAX_RUNS = 4096;

/** Runs of the base64 alphabet with their line-wrapped continuations joined. */
function alphabetRuns(text: string): string[] {
  const runs: string[] = [];
  let prevEnd = -1;
  RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (runs.length < MAX_RUNS && (m = RUN.exec(text)) !== null) {
    const gap = text.slice(prevEnd, m.index);
    if (prevEnd >= 0 && (gap === '\n' || gap === '\r\n' || gap === '\\n')) runs[runs.length - 1] += m[0];
    else runs.push(m[0]);
    prevEnd = m.index + m[0].length;
    const tail = TAIL.exec(text.slice(prevEnd, prevEnd + 24));
    if (tail) {
      runs[runs.length - 1] += tail[1] ?? '';
      prevEnd += tail[0].length;
    }
  }
  RUN.lastIndex = 0;
  return runs;
}

export function candidateRuns(text: string): { kind: EncodedRun['kind']; encoded: string }[] {
  const out: { kind: EncodedRun['kind']; encoded: string }[] = [];
  for (const encoded of alphabetRuns(text)) {
    if (HEX_ONLY.test(encoded)) {
      if (encoded.length >= 24 && encoded.length % 2 === 0) out.push({ kind: 'hex', encoded });
    } else if (looksLikeBase64(encoded)) out.push({ kind: 'base64', encoded });
  }
  if (text.includes('<~')) {
    for (const a of text.matchAll(ASCII85)) out.push({ kind: 'ascii85', encoded: a[1] ?? '' });
  }
  return out;
}

/**
 * Plain words and identifiers (`this.configurationManagerInstance`, paths) are not base64 runs: encoded
 * text mixes upper case, lower case and digits throughout. Counted on a prefix, in one pass.
 */
function looksLikeBase64(s: string): boolean {
  let digits = 0;
  let upper = 0;
  let lower = 0;
  const n = Math.min(s.length, 256);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  return upper >= 3 && lower >= 3 && (digits >= 1 || s.endsWith('=') || upper / n > 0.2);
}

export function decodeRun(kind: EncodedRun['kind'], encoded: string): string | undefined {
  // Text encodes to text from its first bytes on: reject binary (images, keys, hashes) on a short prefix.
  if (encoded.length > 256 && kind !== 'ascii85' && decodeBytes(kind, encoded.slice(0, 128)) === undefined) return undefined;
  return decodeBytes(kind, encoded);
}

function decodeBytes(kind: EncodedRun['kind'], encoded: string): string | undefined {
  let bytes: Buffer;
  if (kind === 'hex') bytes = Buffer.from(encoded, 'hex');
  else if (kind === 'ascii85') bytes = decodeAscii85(encoded);
  else bytes = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8) return undefined;
  const text = bytes.toString('utf8');
  return isReadable(text) ? text : undefined;
}

/** Readable means printable, mostly letters and spaces: natural language or source, not binary. */
export function isReadable(text: string): boolean {
  if (text.includes('\uFFFD')) return false;
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  return readability(text) >= 0.95 && letters / text.length >= 0.5 && /\s/.test(text);
}

function decodeAscii85(s: string): Buffer {
  const clean = s.replace(/\s/g, '');
  const out: number[] = [];
  let group: number[] = [];
  const flush = (g: number[], pad: number): void => {
    let value = 0;
    for (const c of g) value = value * 85 + c;
    const bytes = [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
    out.push(...bytes.slice(0, 4 - pad));
  };
  for (const ch of clean) {
    if (ch === 'z' && group.length === 0) { out.push(0, 0, 0, 0); continue; }
    group.push(ch.charCodeAt(0) - 33);
    if (group.length === 5) { flush(group, 0); group = []; }
  }
  if (group.length > 0) {
    const pad = 5 - group.length;
    flush([...group, ...Array<number>(pad).fill(84)], pad);
  }
  return Buffer.from(out);
}

export function decodeAll(runs: readonly { kind: EncodedRun['kind']; encoded: string }[]): EncodedRun[] {
  const out: EncodedRun[] = [];
  for (const run of runs) {
    const decoded = decodeRun(run.kind, run.encoded);
    if (decoded !== undefined) out.push({ ...run, decoded });
  }
  return out;
}
