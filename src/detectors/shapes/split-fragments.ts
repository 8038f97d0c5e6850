/**
 * A payload split across several string fields of one message (issue 12, "Encoded payloads"): each field
 * holds a fragment, often with a short prefix or suffix ("Part one: …"), and only the fragments joined in
 * field order decode. Every alphabet the detector knows is tried: base64, hex, Ascii85 and Z85.
 *
 * A field's fragment is its longest token of the alphabet that looks encoded (mixed case, digits or
 * punctuation where the alphabet has them), at least MIN_FRAGMENT long; fields longer than MAX_FIELD are
 * documents, whose own runs the per-field scan decodes, and are skipped. The join is tried only when two
 * or more fields hold a fragment, and it counts only when it decodes to readable text (encoded-runs.ts).
 */
import { decodeRun, type EncodedRun } from './encoded-runs.js';

const MIN_FRAGMENT = 8;
const MAX_FIELD = 4096;
/** The longest join decoded: far beyond any note, short enough to stay cheap. */
const MAX_JOINED = 65536;

const TOKENS: Readonly<Record<EncodedRun['kind'], RegExp>> = {
  base64: /[A-Za-z0-9+/_-]{8,}={0,2}/g,
  hex: /[0-9a-fA-F]{8,}/g,
  ascii85: /[!-u]{8,}/g,
  z85: /[0-9a-zA-Z.:+=^!/*?&<>()[\]{}@%$#-]{8,}/g,
};

function counts(s: string): { upper: number; lower: number; digits: number; other: number } {
  const c = { upper: 0, lower: 0, digits: 0, other: 0 };
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 0x41 && ch <= 0x5a) c.upper++;
    else if (ch >= 0x61 && ch <= 0x7a) c.lower++;
    else if (ch >= 0x30 && ch <= 0x39) c.digits++;
    else c.other++;
  }
  return c;
}

/**
 * Encoded text has no words: base64 mixes cases (a quarter or more upper case, or digits), hex is long or
 * holds both letters and digits, base85 holds punctuation and no more lower case than the alphabet gives.
 */
function looksEncoded(kind: EncodedRun['kind'], token: string): boolean {
  const c = counts(token);
  const n = token.length;
  if (kind === 'hex') return n >= 16 || (c.digits > 0 && c.digits < n);
  if (kind === 'base64') return c.upper >= 2 && c.lower >= 2 && (c.upper / n >= 0.25 || c.digits > 0 || c.other > 0);
  return c.other >= 1 && c.upper >= 1 && c.lower <= n * 0.55;
}

function fragmentOf(kind: EncodedRun['kind'], raw: string): string | undefined {
  let best: string | undefined;
  for (const m of raw.matchAll(TOKENS[kind])) {
    if ((best === undefined || m[0].length > best.length) && looksEncoded(kind, m[0])) best = m[0];
  }
  return best;
}

/** Runs that decode only when the fragments of several fields (raw strings, in field order) are joined. */
export function joinedFragments(raws: readonly string[]): EncodedRun[] {
  const fields = raws.filter((r) => r.length >= MIN_FRAGMENT && r.length <= MAX_FIELD);
  if (fields.length < 2) return [];
  const out: EncodedRun[] = [];
  for (const kind of Object.keys(TOKENS) as EncodedRun['kind'][]) {
    const parts: string[] = [];
    let length = 0;
    for (const raw of fields) {
      const part = fragmentOf(kind, raw);
      if (part === undefined || (length += part.length) > MAX_JOINED) continue;
      parts.push(part);
    }
    if (parts.length < 2) continue;
    const encoded = parts.join('');
    const decoded = decodeRun(kind, encoded);
    if (decoded !== undefined) out.push({ kind, encoded, decoded });
  }
  return out;
}
