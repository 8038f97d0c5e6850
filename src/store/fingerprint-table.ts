import { key64 } from '../core/index.js';

/**
 * The map from fingerprint to a number (the newest slot of its chain) that the flow index keeps for a
 * million fingerprints (issue 9, "Fast"). A `Map<string, number>` of that size costs about 100 MB of
 * heap, seconds to fill and long garbage-collection pauses (the p99 of a check); this one is an
 * open-addressing table (linear probing, deletion by backward shift) on one typed array: 16 bytes a
 * cell, at most three quarters of the cells used, invisible to the collector.
 * A fingerprint is keyed by a 64-bit hash of its characters (`keyOf`: core/key64.ts, two 32-bit lanes); two
 * fingerprints with one key would share a chain. At a million fingerprints the chance that any two do
 * is about 3 in 100 million, and such a pair could only make a lookup report a read that did not
 * happen; the fingerprints themselves are already keyed hashes (flows/fingerprint.ts).
 */

/** A free cell; a cell holds its value plus one, so a fresh (zeroed) buffer is all free cells. */
const EMPTY = 0;

/** A fingerprint's 64-bit key as two 32-bit lanes. */
export const keyOf = key64;

/** The cells: 16 bytes each, key and value on one cache line (a probe is one memory read, not three). */
interface Cells {
  /** Cell c: its key's lanes at 4c and 4c + 1. */
  key: Int32Array;
  /** Cell c: its value plus one at 2c + 1; EMPTY marks a free cell (values are never negative). */
  value: Float64Array;
  mask: number;
}

function cells(count: number): Cells {
  const buffer = new ArrayBuffer(16 * count);
  return { key: new Int32Array(buffer), value: new Float64Array(buffer), mask: count - 1 };
}

export class FingerprintTable {
  #cells: Cells;
  #size = 0;

  /** `capacity`: the entries expected (the table grows past them). */
  constructor(capacity = 1024) {
    this.#cells = cells(2 ** Math.ceil(Math.log2(Math.max(16, (4 * capacity) / 3 + 1))));
  }

  get size(): number {
    return this.#size;
  }

  /** The value under the key (`hi`, `lo`), or -1. */
  get(hi: number, lo: number): number {
    const { key, value, mask } = this.#cells;
    for (let c = hi & mask; ; c = (c + 1) & mask) {
      const v = value[2 * c + 1] as number;
      if (v === EMPTY || (key[4 * c] === hi && key[4 * c + 1] === lo)) return v - 1;
    }
  }

  /** Sets the value (≥ 0) under the key; grows past three quarters full. */
  set(hi: number, lo: number, value: number): void {
    if (4 * (this.#size + 1) > 3 * (this.#cells.mask + 1)) this.#grow();
    this.#put(hi, lo, value + 1);
  }

  delete(hi: number, lo: number): void {
    const { key, value, mask } = this.#cells;
    let c = hi & mask;
    for (; ; c = (c + 1) & mask) {
      if (value[2 * c + 1] === EMPTY) return;
      if (key[4 * c] === hi && key[4 * c + 1] === lo) break;
    }
    // Backward shift: move later cells of the run into the hole unless their home lies between them.
    for (let d = (c + 1) & mask; value[2 * d + 1] !== EMPTY; d = (d + 1) & mask) {
      const home = (key[4 * d] as number) & mask;
      if (((d - home) & mask) < ((d - c) & mask)) continue;
      key[4 * c] = key[4 * d] as number;
      key[4 * c + 1] = key[4 * d + 1] as number;
      value[2 * c + 1] = value[2 * d + 1] as number;
      c = d;
    }
    value[2 * c + 1] = EMPTY;
    this.#size--;
  }

  /** `v`: the value plus one. */
  #put(hi: number, lo: number, v: number): void {
    const { key, value, mask } = this.#cells;
    for (let c = hi & mask; ; c = (c + 1) & mask) {
      const old = value[2 * c + 1];
      if (old === EMPTY) this.#size++;
      else if (key[4 * c] !== hi || key[4 * c + 1] !== lo) continue;
      key[4 * c] = hi;
      key[4 * c + 1] = lo;
      value[2 * c + 1] = v;
      return;
    }
  }

  #grow(): void {
    const old = this.#cells;
    this.#cells = cells(2 * (old.mask + 1));
    this.#size = 0;
    for (let c = 0; c <= old.mask; c++) {
      const v = old.value[2 * c + 1] as number;
      if (v !== EMPTY) this.#put(old.key[4 * c] as number, old.key[4 * c + 1] as number, v);
    }
  }
}
