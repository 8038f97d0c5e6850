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

/** ASCII by code: a letter or digit as lower case, APOSTROPHE, or 0 (a word break). */
const APOSTROPHE = 1;
const ASCII_WORD: Uint8Array = Uint8Array.from({ length: 128 }, (_, c) => {
  if (c === 0x27) return APOSTROPHE;
  const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  return (lower >= 0x30 && lower <= 0x39) || (lower >= 0x61 && lower <= 0x7a) ? lower : 0;
});

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2bc;
}

/** Code units lower-cased per step (extended to the next space or line break, see `WordHashes`). */
const STEP = 16384;

/**
 * Per-word hashes of the normalised text, two lanes, made a step at a time so a caller that has enough
 * fingerprints stops early (issue 12, Speed: the flow store keeps 8192 per message). Each step is
 * lower-cased on its own and ends after a space or line break: the one context-dependent lower-case
 * mapping (final sigma) looks across case-ignorable characters only, which these are not, so the steps
 * fold exactly like the whole text; the hash state carries over, so a word may span two steps.
 */
export class WordHashes {
  a: Uint32Array;
  b: Uint32Array;
  n = 0;
  private pos = 0;
  private ha: number;
  private hb: number;
  private inWord = false;

  /** The first hole not read yet. */
  private hole = 0;
  /** Where the run being read starts (after a space, line break or hole). */
  private run = 0;

  constructor(
    private readonly text: string,
    private readonly seeds: ProseSeeds,
    /** Sorted, disjoint [start, end) spans read as one space each (see `eachProseFingerprint`). */
    private readonly holes: readonly (readonly [number, number])[] = [],
  ) {
    this.ha = seeds.a;
    this.hb = seeds.b;
    // Sized for the text up to one step: a message of many short fields makes one per field (issue 12, Speed).
    const size = Math.min(Math.ceil(text.length / 2) + 1, STEP / 2 + 1);
    this.a = new Uint32Array(size);
    this.b = new Uint32Array(size);
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Hashes the words of the next step; after the last one, the word the text ends with. */
  step(): void {
    const end = this.stepEnd();
    this.reserve(end - this.pos);
    const { holes } = this;
    this.run = this.pos;
    for (let i = this.pos; i < end; ) {
      const next = holes[this.hole];
      const stop = next !== undefined && next[0] < end ? next[0] : end;
      i = this.hashAscii(i, stop);
      if (i < stop) {
        i = this.hashFoldedRun(i, stop);
        continue;
      }
      if (next === undefined || stop === end) break;
      // A hole reads as a space.
      if (this.inWord) this.endWord();
      i = next[1];
      this.run = i;
      this.hole++;
    }
    this.pos = end;
    if (this.inWord && this.done) this.endWord();
  }

  /**
   * Reads ASCII from `from` up to `stop`, folded by table (what `toLowerCase` does to ASCII), in place;
   * returns where it stopped: `stop`, or the first other character.
   */
  private hashAscii(from: number, stop: number): number {
    const { text, seeds, a, b } = this;
    let { ha, hb, inWord, n, run } = this;
    let i = from;
    for (; i < stop; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      const folded = ASCII_WORD[c]!;
      if (folded === APOSTROPHE) continue;
      if (folded !== 0) {
        ha = Math.imul(ha ^ folded, FNV_PRIME);
        hb = Math.imul(hb ^ folded, FNV_PRIME) ^ (hb >>> 13);
        inWord = true;
        continue;
      }
      if (c === 0x20 || c === 0x0a) run = i + 1;
      if (inWord) {
        a[n] = ha >>> 0;
        b[n++] = hb >>> 0;
        ha = seeds.a;
        hb = seeds.b;
        inWord = false;
      }
    }
    this.ha = ha;
    this.hb = hb;
    this.inWord = inWord;
    this.n = n;
    this.run = run;
    return i;
  }

  /**
   * Reads the run holding the character at `at` (from the last space, line break or hole to the next, or
   * `stop`: no lower-case mapping looks across these) as `toLowerCase` folds it. Its part before `at` is
   * ASCII, which folds one to one and was read already, so reading goes on from `at`; returns the run's end.
   */
  private hashFoldedRun(at: number, stop: number): number {
    const { text } = this;
    let end = at;
    while (end < stop && text.charCodeAt(end) !== 0x20 && text.charCodeAt(end) !== 0x0a) end++;
    const folded = text.slice(this.run, end).toLowerCase();
    let { ha, hb, inWord } = this;
    for (let i = at - this.run; i < folded.length; i++) {
      const c = folded.charCodeAt(i);
      if (isApostrophe(c)) continue;
      if (isWordChar(c, folded, i)) {
        ha = Math.imul(ha ^ c, FNV_PRIME);
        hb = Math.imul(hb ^ c, FNV_PRIME) ^ (hb >>> 13);
        inWord = true;
      } else if (inWord) {
        this.push(ha, hb);
        ha = this.seeds.a;
        hb = this.seeds.b;
        inWord = false;
      }
    }
    this.ha = ha;
    this.hb = hb;
    this.inWord = inWord;
    return end;
  }

  /** The word read so far ends. */
  private endWord(): void {
    this.push(this.ha, this.hb);
    this.ha = this.seeds.a;
    this.hb = this.seeds.b;
    this.inWord = false;
  }

  /** Where the next step ends: after a space or line break (or a hole, which reads as a space), or at the text's end. */
  private stepEnd(): number {
    const { text, holes } = this;
    let end = Math.min(text.length, this.pos + STEP);
    let h = this.hole;
    while (h < holes.length && holes[h]![1] <= end) h++;
    for (;;) {
      const hole = holes[h];
      if (hole !== undefined && hole[0] < end) return hole[1];
      if (end >= text.length) return text.length;
      const c = text.charCodeAt(end - 1);
      if (c === 0x20 || c === 0x0a) return end;
      end++;
    }
  }

  private push(ha: number, hb: number): void {
    this.a[this.n] = ha >>> 0;
    this.b[this.n++] = hb >>> 0;
  }

  /** Room for the words of `units` more code units (at most one per two). */
  private reserve(units: number): void {
    const need = this.n + Math.ceil(units / 2) + 1;
    if (need <= this.a.length) return;
    const size = Math.max(need, this.a.length * 2);
    const a = new Uint32Array(size);
    const b = new Uint32Array(size);
    a.set(this.a.subarray(0, this.n));
    b.set(this.b.subarray(0, this.n));
    this.a = a;
    this.b = b;
  }
}

/** Per-word hashes of the normalised text, two lanes. */
export function wordHashes(text: string, seeds: ProseSeeds): { a: Uint32Array; b: Uint32Array; n: number } {
  const words = new WordHashes(text, seeds);
  while (!words.done) words.step();
  return words;
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
 * returns false); with `holes`, those of the text with each hole replaced by a space, without making that copy. Windows are winnowed as soon as their words are hashed; the windows of the whole text
 * are the same, except that a text of fewer than W + K - 1 words has one short window, known at the end.
 */
export function eachProseFingerprint(text: string, seeds: ProseSeeds, take: (fp: string) => boolean, holes: readonly (readonly [number, number])[] = []): boolean {
  const words = new WordHashes(text, seeds, holes);
  const winnow = new Winnowing(seeds, take);
  while (!words.done) {
    words.step();
    if (!winnow.advance(words, words.done)) return false;
  }
  return true;
}

/** Winnowing state over a growing list of word hashes (see `proseFingerprints`). */
class Winnowing {
  private ha = new Uint32Array(0);
  private hb = new Uint32Array(0);
  private shingles = 0;
  private start = 0;
  private last = -1;
  // Unique by the numbers (a Map from the first lane to the second), so no string is hashed here; two
  // shingles sharing a first lane but not a second are told apart by their strings.
  private readonly seen = new Map<number, number>();
  private clashes: Set<string> | undefined;

  constructor(
    private readonly seeds: ProseSeeds,
    private readonly take: (fp: string) => boolean,
  ) {}

  /** Winnows every window whose shingles are known (all remaining ones when `final`); false once `take` stops. */
  advance(words: { a: Uint32Array; b: Uint32Array; n: number }, final: boolean): boolean {
    const count = words.n - K + 1;
    if (count <= 0) return true;
    this.hashShingles(words, count);
    const windows = final ? Math.max(1, count - W + 1) : count - W + 1;
    const span = Math.min(W, count);
    const { ha, hb } = this;
    for (; this.start < windows; this.start++) {
      let best = this.start;
      for (let i = this.start + 1; i < this.start + span; i++) if ((ha[i] as number) <= (ha[best] as number)) best = i;
      if (best === this.last) continue;
      this.last = best;
      const fingerprint = this.pick(ha[best] as number, hb[best] as number);
      if (fingerprint !== undefined && !this.take(fingerprint)) {
        this.start++;
        return false;
      }
    }
    return true;
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

  /** Shingle hashes up to `count`. */
  private hashShingles(words: { a: Uint32Array; b: Uint32Array }, count: number): void {
    if (count > this.ha.length) {
      const size = Math.max(count, this.ha.length * 2);
      const ha = new Uint32Array(size);
      const hb = new Uint32Array(size);
      ha.set(this.ha.subarray(0, this.shingles));
      hb.set(this.hb.subarray(0, this.shingles));
      this.ha = ha;
      this.hb = hb;
    }
    for (let i = this.shingles; i < count; i++) {
      let x = this.seeds.a;
      let y = this.seeds.b;
      for (let j = 0; j < K; j++) {
        x = mix(x, words.a[i + j] as number);
        y = mix(y, words.b[i + j] as number);
      }
      this.ha[i] = x >>> 0;
      this.hb[i] = y >>> 0;
    }
    this.shingles = Math.max(this.shingles, count);
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
