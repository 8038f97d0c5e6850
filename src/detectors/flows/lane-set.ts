import { key64 } from '../../core/index.js';

/**
 * A set of 64-bit keys (two 32-bit lanes) on typed arrays, emptied in O(1) and reused from call to call
 * (issue 9, "Fast"): a `Set` of a check's ~200 fingerprint strings, or a `Map` keyed by numbers, is
 * rebuilt with every call and was the garbage that put a scavenge into the p99 of a check. Open
 * addressing with linear probing; a cell belongs to the set when its stamp is the current generation,
 * so `reset` only bumps the generation. Grows past half full. Not reentrant.
 */
export class LaneSet {
  readonly #key = new Int32Array(2);
  #lanes = new Int32Array(0);
  #stamps = new Uint32Array(0);
  #generation = 0;
  #mask = -1;
  #size = 0;

  /** `entries`: how many are expected (the set grows past them). */
  constructor(entries = 0) {
    this.reset(entries);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Empties the set, sized for `entries`. Arrays large enough are kept and only their first cells used:
   * a set that once held a 64 KB result's shingles would otherwise spread a 4 KB argument's over 96 KB
   * (a cache miss each after other work evicted them).
   */
  reset(entries: number): void {
    const cells = 2 ** Math.ceil(Math.log2(2 * entries + 2));
    this.#size = 0;
    if (this.#stamps.length < cells) {
      this.#lanes = new Int32Array(2 * cells);
      this.#stamps = new Uint32Array(cells);
      this.#generation = 1;
    } else if (++this.#generation === 0xffffffff) {
      this.#stamps.fill(0);
      this.#generation = 1;
    }
    this.#mask = cells - 1;
  }

  /** Adds the key (`x`, `y`); false when it was there. */
  add(x: number, y: number): boolean {
    if (2 * (this.#size + 1) > this.#mask + 1) this.#grow();
    const lanes = this.#lanes;
    const stamps = this.#stamps;
    const generation = this.#generation;
    for (let c = (x ^ (y >>> 7)) & this.#mask; ; c = (c + 1) & this.#mask) {
      if (stamps[c] !== generation) {
        stamps[c] = generation;
        lanes[2 * c] = x;
        lanes[2 * c + 1] = y;
        this.#size++;
        return true;
      }
      if (lanes[2 * c] === x && lanes[2 * c + 1] === y) return false;
    }
  }

  has(x: number, y: number): boolean {
    for (let c = (x ^ (y >>> 7)) & this.#mask; this.#stamps[c] === this.#generation; c = (c + 1) & this.#mask) {
      if (this.#lanes[2 * c] === x && this.#lanes[2 * c + 1] === y) return true;
    }
    return false;
  }

  /** Adds a string by its 64-bit key (`key64`); false when a string with that key was there. */
  addString(text: string): boolean {
    key64(text, this.#key);
    return this.add(this.#key[0] as number, this.#key[1] as number);
  }

  /** Doubles the cells in use, keeping the current generation's keys (into fresh arrays). */
  #grow(): void {
    const old = { lanes: this.#lanes, stamps: this.#stamps, generation: this.#generation, cells: this.#mask + 1 };
    const cells = Math.max(2 * old.cells, old.stamps.length);
    this.#lanes = new Int32Array(2 * cells);
    this.#stamps = new Uint32Array(cells);
    this.#generation = 1;
    this.#mask = cells - 1;
    this.#size = 0;
    for (let c = 0; c < old.cells; c++) if (old.stamps[c] === old.generation) this.add(old.lanes[2 * c] as number, old.lanes[2 * c + 1] as number);
  }
}
