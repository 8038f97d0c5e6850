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

/** Each alphabet as a membership table over ASCII (the characters of the former token regexes, `{8,}` runs). */
const ALPHABETS: Readonly<Record<EncodedRun['kind'], Uint8Array>> = {
  base64: alphabet(/[A-Za-z0-9+/_-]/),
  hex: alphabet(/[0-9a-fA-F]/),
  ascii85: alphabet(/[!-u]/),
  z85: alphabet(/[0-9a-zA-Z.:+=^!/*?&<>()[\]{}@%$#-]/),
};
const KINDS = Object.keys(ALPHABETS) as EncodedRun['kind'][];
const EQUALS = 0x3d;

function alphabet(member: RegExp): Uint8Array {
  return Uint8Array.from({ length: 128 }, (_, c) => (member.test(String.fromCharCode(c)) ? 1 : 0));
}

interface Counts {
  upper: number;
  lower: number;
  digits: number;
  other: number;
}

function counts(s: string, from: number, to: number): Counts {
  const c = { upper: 0, lower: 0, digits: 0, other: 0 };
  for (let i = from; i < to; i++) {
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
function looksEncoded(kind: EncodedRun['kind'], raw: string, from: number, to: number): boolean {
  const c = counts(raw, from, to);
  const n = to - from;
  if (kind === 'hex') return n >= 16 || (c.digits > 0 && c.digits < n);
  if (kind === 'base64') return c.upper >= 2 && c.lower >= 2 && (c.upper / n >= 0.25 || c.digits > 0 || c.other > 0);
  return c.other >= 1 && c.upper >= 1 && c.lower <= n * 0.55;
}

function inAlphabet(member: Uint8Array, raw: string, i: number): boolean {
  const ch = raw.charCodeAt(i);
  return ch < 0x80 && member[ch] === 1;
}

/**
 * The longest token that looks encoded (the first of equal length): a token is a maximal run of the
 * alphabet, at least MIN_FRAGMENT long, plus up to two `=` for base64 — what a global
 * `/[alphabet]{8,}={0,2}/g` finds. Walked by a table instead (no match arrays per field), probing every
 * MIN_FRAGMENT-th character: a token that long must cover a probe, so random base64 costs one look per
 * few characters for hex (issue 12, Speed; the same walk as encoded-runs.ts `nextRun`).
 */
export function fragmentOf(kind: EncodedRun['kind'], raw: string): string | undefined {
  const member = ALPHABETS[kind];
  const n = raw.length;
  let best: [number, number] | undefined;
  let from = 0;
  let probe = MIN_FRAGMENT - 1;
  while (probe < n) {
    if (!inAlphabet(member, raw, probe)) {
      probe += MIN_FRAGMENT;
      continue;
    }
    let start = probe;
    while (start > from && inAlphabet(member, raw, start - 1)) start--;
    let end = probe + 1;
    while (end < n && inAlphabet(member, raw, end)) end++;
    if (end - start >= MIN_FRAGMENT) {
      if (kind === 'base64') for (let eq = 0; eq < 2 && raw.charCodeAt(end) === EQUALS; eq++) end++;
      if ((best === undefined || end - start > best[1] - best[0]) && looksEncoded(kind, raw, start, end)) best = [start, end];
    }
    // After `=` padding the next token may start right at `end`: probe where one that short must reach.
    from = end;
    probe = end + MIN_FRAGMENT - 1;
  }
  return best === undefined ? undefined : raw.slice(best[0], best[1]);
}

/** Runs that decode only when the fragments of several fields (raw strings, in field order) are joined. */
export function joinedFragments(raws: readonly string[]): EncodedRun[] {
  const fields = raws.filter((r) => r.length >= MIN_FRAGMENT && r.length <= MAX_FIELD);
  if (fields.length < 2) return [];
  const out: EncodedRun[] = [];
  for (const kind of KINDS) {
    const parts: string[] = [];
    let length = 0;
    for (const raw of fields) {
      const part = fragmentOf(kind, raw);
      if (part === undefined) continue;
      // The join is cut where it passes MAX_JOINED: no later fragment is added (issue 12, Speed: the base64
      // thumbnails of a large structuredContent fill it after a few dozen fields; the rest need no scan).
      if ((length += part.length) > MAX_JOINED) break;
      parts.push(part);
    }
    if (parts.length < 2) continue;
    const encoded = parts.join('');
    const decoded = decodeRun(kind, encoded);
    if (decoded !== undefined) out.push({ kind, encoded, decoded });
  }
  return out;
}
