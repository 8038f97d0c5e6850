/**
 * The in-memory index the SQLite flow store answers lookups from (issue 9, "Fast"): compact enough for a
 * million pairs in every gateway process, and out of the garbage collector's way. Pairs live in slots
 * numbered in write order, in typed arrays (the fingerprint's 64-bit key, origin id, time, the distance to
 * the next older slot of the same fingerprint); a fingerprint's key maps to its newest slot in a
 * `FingerprintTable` (fingerprint-table.ts), so its pairs are one chain, newest first. No fingerprint
 * string is kept: about 24 bytes a slot and 16 a table cell. Origins are interned (a 64 KB result's 4000
 * pairs share one).
 * - Remembering a pair again appends a slot and unlinks the old one (a refresh moves it to the newest end).
 * - Past `maxEntries` live pairs, the oldest slots are dropped by advancing `#start`; a chain walk stops at
 *   the first slot below it (older slots follow it in the chain). Expired slots are skipped by reads and
 *   dropped from the old end as writes go by.
 * - The arrays are a ring: slot numbers only grow, and slot n lives at n mod capacity. When the ring is
 *   full and at least three quarters of it are live it doubles, copying the slots to the same numbers (no pointer
 *   changes: growing to a million pairs never rebuilds the table); otherwise the live slots are
 *   renumbered into a fresh ring (compaction, only after many refreshes left dead slots behind old live ones).
 */
import type { FlowHit, FlowLookup, FlowOrigin } from '../core/index.js';
import { FingerprintTable, keyOf } from './fingerprint-table.js';
import { GatheredHits, lookupLimit } from './flow-pairs.js';
import type { Retention } from './retention.js';

const NONE = -1;

/**
 * The slots, 24 bytes each in one buffer (a slot read is one memory access, not five): slot i holds its
 * key lanes at `i32[6i]`, `i32[6i + 1]`, origin id at `i32[6i + 2]`, the slot number minus the next older
 * slot's of the same fingerprint at `i32[6i + 3]` (0: none), its time at `f64[3i + 2]`.
 */
interface Ring {
  i32: Int32Array;
  f64: Float64Array;
  capacity: number;
}

function ring(capacity: number): Ring {
  const buffer = new ArrayBuffer(24 * capacity);
  return { i32: new Int32Array(buffer), f64: new Float64Array(buffer), capacity };
}

export class FlowIndex {
  readonly #bounds: Retention;
  #ring: Ring;
  #heads: FingerprintTable;
  #origins: FlowOrigin[] = [];
  #originIds = new Map<string, number>();
  /** Per origin id, the id of its source: the origin without its labels (what makes a pair one pair). */
  #sourceOf: number[] = [];
  #sourceIds = new Map<string, number>();
  #start = 0;
  #end = 0;
  #live = 0;
  /** The first slot of the running `rememberAll` (renumbered by compaction). */
  #callStart = 0;
  readonly #key = new Int32Array(2);
  /** `lookup`'s working arrays: each fingerprint's newest slot, and the hits. */
  #newest = new Float64Array(256);
  #keys = new Int32Array(512);
  /** What the touch of the newest slots read (kept so the reads are not optimised away). */
  #touched = 0;
  readonly #gathered = new GatheredHits();

  /** `expected`: the pairs about to be loaded (sizes the arrays once instead of growing them on the way). */
  constructor(bounds: Retention, expected = 0) {
    this.#bounds = bounds;
    const pairs = Math.min(Math.max(0, expected), bounds.maxEntries);
    this.#ring = ring(2 ** Math.ceil(Math.log2(Math.max(1024, (4 * pairs) / 3))));
    this.#heads = new FingerprintTable(Math.max(1024, pairs));
  }

  /** The id of an origin by its JSON; parsed only when new. Ids change when the arrays are compacted. */
  #originId(json: string, origin?: FlowOrigin): number {
    let id = this.#originIds.get(json);
    if (id === undefined) {
      // Frozen, so lookups hand out the one object instead of a copy per hit (a check's garbage).
      const o = Object.freeze({ ...(origin ?? (JSON.parse(json) as FlowOrigin)) });
      if (o.labels) Object.freeze(o.labels);
      id = this.#origins.push(o) - 1;
      this.#originIds.set(json, id);
      const key = [o.principal ?? '', o.upstream, o.method, o.tool ?? '', o.session ?? ''].join('\u0000');
      let source = this.#sourceIds.get(key);
      if (source === undefined) this.#sourceIds.set(key, (source = this.#sourceIds.size));
      this.#sourceOf[id] = source;
    }
    return id;
  }

  /**
   * Remembers `fingerprint` as read from the origin whose canonical form (`flowOrigin`) is `json` (and,
   * when the caller has it, `origin`: spares parsing the JSON).
   */
  remember(json: string, fingerprint: string, at: number, origin?: FlowOrigin): void {
    this.#originId(json, origin);
    keyOf(fingerprint, this.#key);
    this.rememberKey(json, this.#key[0] as number, this.#key[1] as number, at, this.#cutoff());
  }

  /**
   * `remember` of each fingerprint, in order, with one origin and time; returns the keys of the
   * fingerprints less those repeated within the call (what the caller writes down): lanes at 2k, 2k + 1.
   */
  rememberAll(json: string, fingerprints: readonly string[], at: number, origin?: FlowOrigin): Int32Array {
    const originId = this.#originId(json, origin);
    const cutoff = this.#cutoff();
    this.#callStart = this.#end;
    const keys = new Int32Array(2 * fingerprints.length);
    let n = 0;
    for (const fingerprint of fingerprints) {
      keyOf(fingerprint, this.#key);
      const [hi, lo] = [this.#key[0] as number, this.#key[1] as number];
      if (!this.#append(hi, lo, originId, at)) continue;
      keys[n++] = hi;
      keys[n++] = lo;
      this.#dropOld(cutoff);
    }
    return keys.subarray(0, n);
  }

  /** Remembers one pair of the log by its key (`cutoff`: the oldest time still live). */
  rememberKey(json: string, hi: number, lo: number, at: number, cutoff: number): void {
    const originId = this.#originId(json);
    this.#callStart = this.#end;
    this.#append(hi, lo, originId, at);
    this.#dropOld(cutoff);
  }

  /** Appends the pair unless this source's pair of the key is from this call (a repeat): false then. */
  #append(hi: number, lo: number, originId: number, at: number): boolean {
    if (this.#end - this.#start === this.#ring.capacity) this.#makeRoom();
    const r = this.#ring;
    const cap = r.capacity;
    const source = this.#sourceOf[originId];
    let head = this.#heads.get(hi, lo);
    // Unlinks this source's older pair of the fingerprint, if any.
    for (let slot = head, prev = NONE; slot >= this.#start; ) {
      const i = slot % cap;
      const next = r.i32[6 * i + 3] === 0 ? NONE : slot - (r.i32[6 * i + 3] as number);
      if (this.#sourceOf[r.i32[6 * i + 2] as number] === source) {
        if (slot >= this.#callStart) return false;
        r.i32[6 * i + 2] = NONE;
        this.#live--;
        if (prev === NONE) head = next;
        else r.i32[6 * (prev % cap) + 3] = next === NONE ? 0 : prev - next;
        break;
      }
      prev = slot;
      slot = next;
    }
    const slot = this.#end++;
    const i = slot % cap;
    r.i32[6 * i] = hi;
    r.i32[6 * i + 1] = lo;
    r.i32[6 * i + 2] = originId;
    r.f64[3 * i + 2] = at;
    r.i32[6 * i + 3] = head >= this.#start ? slot - head : 0;
    this.#heads.set(hi, lo, slot);
    this.#live++;
    return true;
  }

  /**
   * Live pairs of the fingerprints, newest first, at most the limit; a fingerprint asked twice is
   * answered once. The hits and their slots are gathered in arrays kept from call to call (issue 9,
   * "Fast": a `Set` of the fingerprints and an object per hit to sort were a fifth of a check's garbage).
   * The keys are made first, then every fingerprint's newest slot is read from the table in a loop of
   * its own, then those slots' cells: each loop's reads are independent, so the processor overlaps their
   * cache misses (a table of a million is 32 MB, the slots 24 MB), where a walk after each read waited
   * for every miss in turn.
   */
  lookup(fingerprints: readonly string[], options: FlowLookup): FlowHit[] {
    const cutoff = this.#cutoff();
    const n = fingerprints.length;
    if (this.#newest.length < n) {
      this.#newest = new Float64Array(2 * n);
      this.#keys = new Int32Array(4 * n);
    }
    const newest = this.#newest;
    const keys = this.#keys;
    for (let k = 0; k < n; k++) {
      keyOf(fingerprints[k] as string, this.#key);
      keys[2 * k] = this.#key[0] as number;
      keys[2 * k + 1] = this.#key[1] as number;
    }
    for (let k = 0; k < n; k++) newest[k] = this.#heads.get(keys[2 * k] as number, keys[2 * k + 1] as number);
    const r = this.#ring;
    const cap = r.capacity;
    // The newest slots' cells, read once together (their misses overlap) before the chains are walked.
    let touched = 0;
    for (let k = 0; k < n; k++) if ((newest[k] as number) >= this.#start) touched += r.i32[6 * ((newest[k] as number) % cap) + 2] as number;
    this.#touched = touched;
    const gathered = this.#gathered;
    gathered.clear();
    for (let k = 0; k < n; k++) {
      for (let slot = newest[k] as number; slot >= this.#start; ) {
        const i = slot % cap;
        const id = r.i32[6 * i + 2] as number;
        const at = r.f64[3 * i + 2] as number;
        const here = slot;
        slot = r.i32[6 * i + 3] === 0 ? NONE : slot - (r.i32[6 * i + 3] as number);
        if (id === NONE || at < cutoff) continue;
        const origin = this.#origins[id] as FlowOrigin;
        if (options.session !== undefined && origin.session !== options.session) continue;
        if (options.principal !== undefined && (origin.principal ?? '') !== options.principal) continue;
        gathered.add({ fingerprint: fingerprints[k] as string, origin, at }, here);
      }
    }
    return gathered.newestFirst(lookupLimit(options));
  }

  /** Live pairs not expired. */
  size(): number {
    const cutoff = this.#cutoff();
    const r = this.#ring;
    const cap = r.capacity;
    let n = 0;
    for (let slot = this.#start; slot < this.#end; slot++) if (r.i32[6 * (slot % cap) + 2] !== NONE && (r.f64[3 * (slot % cap) + 2] as number) >= cutoff) n++;
    return n;
  }

  #cutoff(): number {
    return this.#bounds.clock.now() - this.#bounds.ttlMs;
  }

  /** Drops the oldest slots while over the bound or expired (older than `cutoff`). */
  #dropOld(cutoff: number): void {
    const r = this.#ring;
    const cap = r.capacity;
    for (let i = this.#start % cap; this.#start < this.#end; i = this.#start % cap) {
      if (this.#live <= this.#bounds.maxEntries && r.i32[6 * i + 2] !== NONE && (r.f64[3 * i + 2] as number) >= cutoff) break;
      const slot = this.#start++;
      if (r.i32[6 * i + 2] !== NONE) this.#live--;
      const [hi, lo] = [r.i32[6 * i] as number, r.i32[6 * i + 1] as number];
      if (this.#heads.get(hi, lo) === slot) this.#heads.delete(hi, lo);
    }
  }

  /**
   * The ring is full: doubles it when at least three quarters are live, else renumbers the live slots
   * (at most 3 copies per append, amortised; doubling at half made a 1.1-million-pair index take a ring
   * of 4 million slots, 100 MB).
   */
  #makeRoom(): void {
    const old = this.#ring;
    const cap = old.capacity;
    if (4 * this.#live < 3 * cap) return this.#compact();
    const grown = ring(2 * cap);
    for (let slot = this.#start; slot < this.#end; slot++) {
      const [from, to] = [slot % cap, slot % (2 * cap)];
      grown.i32[6 * to] = old.i32[6 * from] as number;
      grown.i32[6 * to + 1] = old.i32[6 * from + 1] as number;
      grown.i32[6 * to + 2] = old.i32[6 * from + 2] as number;
      grown.f64[3 * to + 2] = old.f64[3 * from + 2] as number;
      grown.i32[6 * to + 3] = old.i32[6 * from + 3] as number;
    }
    this.#ring = grown;
  }

  /** Copies the live slots, in order, into a fresh ring numbered from 0; origins re-interned. */
  #compact(): void {
    const old = { ring: this.#ring, origins: this.#origins, start: this.#start, end: this.#end };
    const cap = old.ring.capacity;
    this.#ring = ring(cap);
    this.#heads = new FingerprintTable(this.#live);
    this.#origins = [];
    this.#originIds = new Map();
    this.#sourceOf = [];
    this.#sourceIds = new Map();
    this.#start = 0;
    this.#end = 0;
    this.#live = 0;
    const ids = new Map<number, number>();
    const callStart = this.#callStart;
    this.#callStart = Infinity;
    for (let slot = old.start; slot < old.end; slot++) {
      const id = old.ring.i32[6 * (slot % cap) + 2] as number;
      if (id === NONE) continue;
      if (slot >= callStart) this.#callStart = Math.min(this.#callStart, this.#end);
      let fresh = ids.get(id);
      if (fresh === undefined) ids.set(id, (fresh = this.#originId(JSON.stringify(old.origins[id]), old.origins[id])));
      const [hi, lo] = [old.ring.i32[6 * (slot % cap)] as number, old.ring.i32[6 * (slot % cap) + 1] as number];
      const head = this.#heads.get(hi, lo);
      const to = this.#end++;
      this.#ring.i32[6 * to] = hi;
      this.#ring.i32[6 * to + 1] = lo;
      this.#ring.i32[6 * to + 2] = fresh;
      this.#ring.f64[3 * to + 2] = old.ring.f64[3 * (slot % cap) + 2] as number;
      this.#ring.i32[6 * to + 3] = head === NONE ? 0 : to - head;
      this.#heads.set(hi, lo, to);
      this.#live++;
    }
    this.#callStart = Math.min(this.#callStart, this.#end);
  }
}
