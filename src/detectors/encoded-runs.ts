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

const BASE64 = /[A-Za-z0-9+/_-]{20,}={0,2}(?:(?:\\n|\r?\n)[A-Za-z0-9+/_-]{4,}={0,2}){0,4000}/g;
const HEX = /\b(?:[0-9a-fA-F]{2}){12,4096}\b/g;
const ASCII85 = /<~([!-u\s]{5,8000}?)~>/g;
const MAX_RUNS = 64;

export function candidateRuns(text: string): { kind: EncodedRun['kind']; encoded: string }[] {
  const out: { kind: EncodedRun['kind']; encoded: string }[] = [];
  for (const [kind, re] of [['base64', BASE64], ['hex', HEX], ['ascii85', ASCII85]] as const) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (out.length < MAX_RUNS && (m = re.exec(text)) !== null) {
      const encoded = kind === 'ascii85' ? (m[1] ?? '') : m[0];
      if (kind === 'base64' && !looksLikeBase64(encoded)) continue;
      out.push({ kind, encoded });
    }
    re.lastIndex = 0;
  }
  return out;
}

/** Plain words and identifiers (`this.configurationManagerInstance`, paths) are not base64 runs. */
function looksLikeBase64(s: string): boolean {
  const compact = s.replace(/\\n|\s/g, '');
  if (/^[0-9a-fA-F]+$/.test(compact)) return false;
  const digits = (compact.match(/[0-9]/g) ?? []).length;
  const upper = (compact.match(/[A-Z]/g) ?? []).length;
  const lower = (compact.match(/[a-z]/g) ?? []).length;
  return upper >= 3 && lower >= 3 && (digits >= 1 || compact.endsWith('=') || upper / compact.length > 0.2);
}

export function decodeRun(kind: EncodedRun['kind'], encoded: string): string | undefined {
  let bytes: Buffer;
  if (kind === 'hex') bytes = Buffer.from(encoded, 'hex');
  else if (kind === 'ascii85') bytes = decodeAscii85(encoded);
  else bytes = Buffer.from(encoded.replace(/\\n|\s/g, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
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

export function decodeAll(text: string): EncodedRun[] {
  const out: EncodedRun[] = [];
  for (const run of candidateRuns(text)) {
    const decoded = decodeRun(run.kind, run.encoded);
    if (decoded !== undefined) out.push({ ...run, decoded });
  }
  return out;
}
