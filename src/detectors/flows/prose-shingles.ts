/**
 * Winnowed word k-gram fingerprints of prose (issue 9; Schleimer, Wilkerson and Aiken, "Winnowing",
 * SIGMOD 2003). The text is normalised — case-folded, apostrophes dropped, every run of anything that
 * is not a letter or digit collapsed to one word break — so a re-wrapped, re-punctuated or re-cased copy
 * yields the same word sequence. Each run of `K` words is hashed; in every window of `W` consecutive
 * hashes the smallest is kept (the rightmost on ties), once. Any copy of at least `K + W - 1` = 8 words
 * therefore shares at least one fingerprint with its source, and a paragraph shares many.
 * The hash is a keyed 64-bit multiply-xor hash (two 32-bit lanes seeded from the store's salt): a
 * cryptographic hash per word run would cost ten times the 1 ms budget of a 64 KB result, and a run of
 * five words is no secret that a slow hash would protect. Distinctive values use SHA-256 instead.
 */

/** Words per shingle. */
export const K = 5;
/** Shingle hashes per winnowing window. */
export const W = 4;

export interface ProseSeeds {
  a: number;
  b: number;
}

const FNV_PRIME = 16777619;
const GOLDEN = 0x9e3779b1;

/** Letters and digits of any script; ASCII decided by code, the rest by one Unicode property test. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** `text[i]` (code unit `c`) is a letter or digit; the one-character string is made only outside ASCII. */
function isWordChar(c: number, text: string, i: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  return WORD_CHAR.test(text[i] as string);
}

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2bc;
}

/** Per-word hashes of the normalised text, two lanes. */
export function wordHashes(text: string, seeds: ProseSeeds): { a: Uint32Array; b: Uint32Array; n: number } {
  const folded = text.toLowerCase();
  const cap = Math.ceil(folded.length / 2) + 1;
  const a = new Uint32Array(cap);
  const b = new Uint32Array(cap);
  let n = 0;
  let ha = seeds.a;
  let hb = seeds.b;
  let inWord = false;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (isApostrophe(c)) continue;
    if (isWordChar(c, folded, i)) {
      ha = Math.imul(ha ^ c, FNV_PRIME);
      hb = Math.imul(hb ^ c, FNV_PRIME) ^ (hb >>> 13);
      inWord = true;
    } else if (inWord) {
      a[n] = ha >>> 0;
      b[n++] = hb >>> 0;
      ha = seeds.a;
      hb = seeds.b;
      inWord = false;
    }
  }
  if (inWord) {
    a[n] = ha >>> 0;
    b[n++] = hb >>> 0;
  }
  return { a, b, n };
}

function mix(acc: number, word: number): number {
  const x = Math.imul(acc ^ word, GOLDEN);
  return x ^ (x >>> 15);
}

/** Winnowed shingle fingerprints of a text: `p` + 16 hex digits each, in text order, unique. */
export function proseFingerprints(text: string, seeds: ProseSeeds): string[] {
  const words = wordHashes(text, seeds);
  const count = words.n - K + 1;
  if (count <= 0) return [];
  const ha = new Uint32Array(count);
  const hb = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let x = seeds.a;
    let y = seeds.b;
    for (let j = 0; j < K; j++) {
      x = mix(x, words.a[i + j] as number);
      y = mix(y, words.b[i + j] as number);
    }
    ha[i] = x >>> 0;
    hb[i] = y >>> 0;
  }
  // Unique by the numbers (a Map from the first lane to the second), so no string is hashed here; two
  // shingles sharing a first lane but not a second are told apart by their strings.
  const seen = new Map<number, number>();
  let clashes: Set<string> | undefined;
  const picked: string[] = [];
  let last = -1;
  const windows = Math.max(1, count - W + 1);
  const span = Math.min(W, count);
  for (let start = 0; start < windows; start++) {
    let best = start;
    for (let i = start + 1; i < start + span; i++) if ((ha[i] as number) <= (ha[best] as number)) best = i;
    if (best === last) continue;
    last = best;
    const x = ha[best] as number;
    const y = hb[best] as number;
    const prior = seen.get(x);
    if (prior === y) continue;
    const fingerprint = proseFingerprint(x, y);
    if (prior === undefined) seen.set(x, y);
    else if ((clashes ??= new Set()).has(fingerprint)) continue;
    else clashes.add(fingerprint);
    picked.push(fingerprint);
  }
  return picked;
}

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * `p` and the two lanes as 16 hex digits, made as one flat string from char codes: a 64 KB result makes
 * about 4000 of them, and `toString(16)` plus concatenation was half the time of fingerprinting it.
 */
function proseFingerprint(x: number, y: number): string {
  const codes: number[] = [0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) {
    codes[8 - i] = HEX[(x >>> (4 * i)) & 15] as number;
    codes[16 - i] = HEX[(y >>> (4 * i)) & 15] as number;
  }
  return String.fromCharCode.apply(null, codes);
}
