/**
 * The map from fingerprint to a number (the newest slot of its chain) that the flow index keeps for a
 * million fingerprints (issue 9, "Fast"). A `Map<string, number>` of that size costs about 100 MB of
 * heap, seconds to fill and long garbage-collection pauses (the p99 of a check); this one is an
 * open-addressing table (linear probing, deletion by backward shift) on typed arrays: 16 bytes a cell,
 * cells twice the entries at most, invisible to the collector.
 * A fingerprint is keyed by a 64-bit hash of its characters (`keyOf`, two 32-bit lanes); two
 * fingerprints with one key would share a chain. At a million fingerprints the chance that any two do
 * is about 3 in 100 million, and such a pair could only make a lookup report a read that did not
 * happen; the fingerprints themselves are already keyed hashes (flows/fingerprint.ts).
 */

const EMPTY = -1;

/** A fingerprint's 64-bit key as two 32-bit lanes (FNV-1a style, then a murmur3 finaliser each). */
export function keyOf(fingerprint: string, out: Int32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < fingerprint.length; i++) {
    const c = fingerprint.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = fmix(a ^ fingerprint.length);
  out[1] = fmix(b ^ Math.imul(a, 0x27d4eb2d));
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class FingerprintTable {
  #hi: Int32Array;
  #lo: Int32Array;
  /** The value of each cell; EMPTY marks a free cell (values are never negative). */
  #value: Float64Array;
  #mask: number;
  #size = 0;

  constructor(capacity = 1024) {
    const cells = 2 ** Math.ceil(Math.log2(Math.max(16, capacity)));
    this.#hi = new Int32Array(cells);
    this.#lo = new Int32Array(cells);
    this.#value = new Float64Array(cells).fill(EMPTY);
    this.#mask = cells - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** The value under the key (`hi`, `lo`), or -1. */
  get(hi: number, lo: number): number {
    for (let i = hi & this.#mask; ; i = (i + 1) & this.#mask) {
      const v = this.#value[i] as number;
      if (v === EMPTY || (this.#hi[i] === hi && this.#lo[i] === lo)) return v;
    }
  }

  /** Sets the value (≥ 0) under the key. */
  set(hi: number, lo: number, value: number): void {
    if (2 * (this.#size + 1) > this.#value.length) this.#grow();
    this.#put(hi, lo, value);
  }

  delete(hi: number, lo: number): void {
    const mask = this.#mask;
    let i = hi & mask;
    for (; ; i = (i + 1) & mask) {
      if (this.#value[i] === EMPTY) return;
      if (this.#hi[i] === hi && this.#lo[i] === lo) break;
    }
    // Backward shift: move later cells of the run into the hole when their home is not between them.
    for (let j = (i + 1) & mask; this.#value[j] !== EMPTY; j = (j + 1) & mask) {
      const home = (this.#hi[j] as number) & mask;
      if (((j - home) & mask) < ((j - i) & mask)) continue;
      this.#hi[i] = this.#hi[j] as number;
      this.#lo[i] = this.#lo[j] as number;
      this.#value[i] = this.#value[j] as number;
      i = j;
    }
    this.#value[i] = EMPTY;
    this.#size--;
  }

  #put(hi: number, lo: number, value: number): void {
    for (let i = hi & this.#mask; ; i = (i + 1) & this.#mask) {
      const v = this.#value[i];
      if (v === EMPTY) this.#size++;
      else if (this.#hi[i] !== hi || this.#lo[i] !== lo) continue;
      this.#hi[i] = hi;
      this.#lo[i] = lo;
      this.#value[i] = value;
      return;
    }
  }

  #grow(): void {
    const [hi, lo, value] = [this.#hi, this.#lo, this.#value];
    const cells = 2 * value.length;
    this.#hi = new Int32Array(cells);
    this.#lo = new Int32Array(cells);
    this.#value = new Float64Array(cells).fill(EMPTY);
    this.#mask = cells - 1;
    this.#size = 0;
    for (let i = 0; i < value.length; i++) if (value[i] !== EMPTY) this.#put(hi[i] as number, lo[i] as number, value[i] as number);
  }
}
