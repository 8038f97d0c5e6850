/**
 * The words of a text as prose shingles read them (prose-shingles.ts): case-folded, apostrophes
 * dropped, every run of anything that is not a letter or digit one word break; each word as two 32-bit
 * FNV-style hash lanes keyed by the seeds. ASCII is folded by table in place; only runs holding other
 * characters are lower-cased, as a whole (issue 12, Speed).
 */
/** The keys of a word's two hash lanes (derived from the flow store's salt). */
export interface ProseSeeds {
  a: number;
  b: number;
}

const FNV_PRIME = 16777619;

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

/** Where each word's two hash lanes go, in text order. */
export type WordSink = (a: number, b: number) => void;

/**
 * Reads a text a step at a time and hands each word's hashes to a sink, so a caller that has enough
 * fingerprints stops early (issue 12, Speed: the flow store keeps 8192 per message) and nothing grows
 * with the text. A step ends after a space or line break: the one context-dependent lower-case mapping
 * (final sigma) looks across case-ignorable characters only, which these are not, so the pieces fold
 * exactly like the whole text; the hash state carries over, so a word may span two steps.
 */
export class WordReader {
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
    private readonly sink: WordSink,
    /** Sorted, disjoint [start, end) spans read as one space each (see prose-shingles.ts `eachProseFingerprint`). */
    private readonly holes: readonly (readonly [number, number])[] = [],
  ) {
    this.ha = seeds.a;
    this.hb = seeds.b;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Hashes the words of the next step; after the last one, the word the text ends with. */
  step(): void {
    const end = this.stepEnd();
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
    const { text, seeds, sink } = this;
    let { ha, hb, inWord, run } = this;
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
        sink(ha >>> 0, hb >>> 0);
        ha = seeds.a;
        hb = seeds.b;
        inWord = false;
      }
    }
    this.ha = ha;
    this.hb = hb;
    this.inWord = inWord;
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
        this.sink(ha >>> 0, hb >>> 0);
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
    this.sink(this.ha >>> 0, this.hb >>> 0);
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
}
