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

import { WordReader, type ProseSeeds } from './word-reader.js';

/** Words per shingle. */
export const K = 5;
/** Shingle hashes per winnowing window. */
export const W = 4;

export type { ProseSeeds };

const GOLDEN = 0x9e3779b1;

/** Per-word hashes of the normalised text, two lanes. */
export function wordHashes(text: string, seeds: ProseSeeds): { a: number[]; b: number[]; n: number } {
  const out = { a: [] as number[], b: [] as number[], n: 0 };
  const reader = new WordReader(text, seeds, (a, b) => {
    out.a.push(a);
    out.n = out.b.push(b);
  });
  while (!reader.done) reader.step();
  return out;
}

function mix(acc: number, word: number): number {
  const x = Math.imul(acc ^ word, GOLDEN);
  return x ^ (x >>> 15);
}

/** Winnowed shingle fingerprints of a text: `p` + 16 hex digits each, in text order, unique. */
export function proseFingerprints(text: string, seeds: ProseSeeds): string[] {
  const picked: string[] = [];
  eachProseFingerprint(text, seeds, (fp) => picked.push(fp) > 0);
  return picked;
}

/**
 * The fingerprints of `proseFingerprints`, in order, handed to `take` until it returns false (then this
 * returns false); with `holes`, those of the text with each hole replaced by a space, without making
 * that copy. Words stream through rings of the last K words and W shingles (issue 12, Speed: arrays
 * of every word of 1 MiB cost more than the hashing), so each window is winnowed as its last shingle
 * arrives; a text of fewer than K + W - 1 words has one short window, known at the end.
 */
export function eachProseFingerprint(text: string, seeds: ProseSeeds, take: (fp: string) => boolean, holes: readonly (readonly [number, number])[] = []): boolean {
  const winnow = new Winnowing(seeds, take);
  const reader = new WordReader(text, seeds, (a, b) => winnow.word(a, b), holes);
  while (!reader.done && !winnow.stopped) reader.step();
  return winnow.finish();
}

/** Winnowing over a stream of word hashes (see `proseFingerprints`). */
class Winnowing {
  /** The last K words and the last W shingle hashes, by their index modulo K and W. */
  private readonly wa = new Uint32Array(K);
  private readonly wb = new Uint32Array(K);
  private readonly sa = new Uint32Array(W);
  private readonly sb = new Uint32Array(W);
  private words = 0;
  private shingles = 0;
  private last = -1;
  stopped = false;
  // Unique by the numbers (a Map from the first lane to the second), so no string is hashed here; two
  // shingles sharing a first lane but not a second are told apart by their strings.
  private readonly seen = new Map<number, number>();
  private clashes: Set<string> | undefined;

  constructor(
    private readonly seeds: ProseSeeds,
    private readonly take: (fp: string) => boolean,
  ) {}

  /** The next word: from the K-th on it ends a shingle, from the W-th shingle on that ends a window. */
  word(a: number, b: number): void {
    if (this.stopped) return;
    const { wa, wb } = this;
    wa[this.words % K] = a;
    wb[this.words % K] = b;
    this.words++;
    if (this.words < K) return;
    let x = this.seeds.a;
    let y = this.seeds.b;
    for (let j = this.words - K; j < this.words; j++) {
      x = mix(x, wa[j % K]!);
      y = mix(y, wb[j % K]!);
    }
    this.sa[this.shingles % W] = x >>> 0;
    this.sb[this.shingles % W] = y >>> 0;
    this.shingles++;
    if (this.shingles >= W) this.window(this.shingles - W, W);
  }

  /** The short window of a text with fewer than W shingles; false when `take` stopped the stream. */
  finish(): boolean {
    if (!this.stopped && this.shingles > 0 && this.shingles < W) this.window(0, this.shingles);
    return !this.stopped;
  }

  /** Keeps the smallest shingle hash of the window (the rightmost on ties), unless it was the last one kept. */
  private window(start: number, span: number): void {
    const { sa, sb } = this;
    let best = start;
    for (let i = start + 1; i < start + span; i++) if (sa[i % W]! <= sa[best % W]!) best = i;
    if (best === this.last) return;
    this.last = best;
    const fingerprint = this.pick(sa[best % W]!, sb[best % W]!);
    if (fingerprint !== undefined && !this.take(fingerprint)) this.stopped = true;
  }

  /** The fingerprint of a selected shingle, or undefined when it was picked before. */
  private pick(x: number, y: number): string | undefined {
    // Keyed as signed 32-bit integers, which V8 keeps unboxed; above 2^31 an unsigned lane is a heap number.
    const prior = this.seen.get(x | 0);
    if (prior === (y | 0)) return undefined;
    const fingerprint = proseFingerprint(x, y);
    if (prior === undefined) this.seen.set(x | 0, y | 0);
    else if ((this.clashes ??= new Set()).has(fingerprint)) return undefined;
    else this.clashes.add(fingerprint);
    return fingerprint;
  }
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
