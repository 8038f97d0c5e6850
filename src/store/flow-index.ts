/**
 * The in-memory index the SQLite flow store answers lookups from (issue 9, "Fast"): compact enough for a
 * million pairs in every gateway process. Pairs live in slots numbered in write order, in typed arrays
 * (origin id, time, the next older slot of the same fingerprint); a fingerprint maps to its newest slot,
 * so its pairs are one chain, newest first. Origins are interned (a 64 KB result's 4000 pairs share one).
 * - Remembering a pair again appends a slot and unlinks the old one (a refresh moves it to the newest end).
 * - Past `maxEntries` live pairs, the oldest slots are dropped by advancing `#start`; a chain walk stops at
 *   the first slot below it (older slots follow it in the chain). Expired slots are skipped by reads and
 *   dropped from the old end as writes go by.
 * - The arrays are a ring: slot numbers only grow, and slot n lives at n mod capacity. When the ring is
 *   full and at least half of it is live it doubles, copying the slots to the same numbers (no pointer
 *   changes: growing to a million pairs never rebuilds the fingerprint map); otherwise the live slots are
 *   renumbered into a fresh ring (compaction, only after many refreshes left dead slots behind old live ones).
 */
import type { FlowHit, FlowLookup, FlowOrigin } from '../core/index.js';
import { lookupLimit } from './flow-pairs.js';
import type { Retention } from './retention.js';

const NONE = -1;

export class FlowIndex {
  readonly #bounds: Retention;
  #fingerprint: string[] = new Array<string>(1024).fill('');
  #origin = new Int32Array(1024);
  #time = new Float64Array(1024);
  /** Slot numbers can pass 2^31 in a long-lived process: kept as doubles. */
  #next = new Float64Array(1024);
  #heads = new Map<string, number>();
  #origins: FlowOrigin[] = [];
  #originIds = new Map<string, number>();
  /** Per origin id, the id of its source: the origin without its labels (what makes a pair one pair). */
  #sourceOf: number[] = [];
  #sourceIds = new Map<string, number>();
  #start = 0;
  #end = 0;
  #live = 0;

  constructor(bounds: Retention) {
    this.#bounds = bounds;
  }

  /** The id of an origin by its JSON; parsed only when new. Ids change when the arrays are compacted. */
  #originId(json: string, origin?: FlowOrigin): number {
    let id = this.#originIds.get(json);
    if (id === undefined) {
      const o = origin ?? (JSON.parse(json) as FlowOrigin);
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
    if (this.#end - this.#start === this.#origin.length) this.#makeRoom();
    const originId = this.#originId(json, origin);
    const cap = this.#origin.length;
    let prev = NONE;
    let head = this.#heads.get(fingerprint) ?? NONE;
    const source = this.#sourceOf[originId];
    for (let slot = head; slot >= this.#start; slot = this.#next[slot % cap] as number) {
      const i = slot % cap;
      if (this.#sourceOf[this.#origin[i] as number] !== source) {
        prev = slot;
        continue;
      }
      this.#origin[i] = NONE;
      this.#live--;
      if (prev === NONE) head = this.#next[i] as number;
      else this.#next[prev % cap] = this.#next[i] as number;
      break;
    }
    const slot = this.#end++;
    const i = slot % cap;
    this.#fingerprint[i] = fingerprint;
    this.#origin[i] = originId;
    this.#time[i] = at;
    this.#next[i] = head;
    this.#heads.set(fingerprint, slot);
    this.#live++;
    this.#dropOld();
  }

  lookup(fingerprints: readonly string[], options: FlowLookup): FlowHit[] {
    const cutoff = this.#cutoff();
    const found: Array<{ hit: FlowHit; slot: number }> = [];
    const cap = this.#origin.length;
    for (const fingerprint of new Set(fingerprints)) {
      for (let slot = this.#heads.get(fingerprint) ?? NONE; slot >= this.#start; slot = this.#next[slot % cap] as number) {
        const id = this.#origin[slot % cap] as number;
        const at = this.#time[slot % cap] as number;
        if (id === NONE || at < cutoff) continue;
        const origin = this.#origins[id] as FlowOrigin;
        if (options.session !== undefined && origin.session !== options.session) continue;
        if (options.principal !== undefined && (origin.principal ?? '') !== options.principal) continue;
        found.push({ hit: { fingerprint, origin: { ...origin, ...(origin.labels ? { labels: [...origin.labels] } : {}) }, at }, slot });
      }
    }
    return found.sort((a, b) => b.slot - a.slot).slice(0, lookupLimit(options)).map((f) => f.hit);
  }

  /** Live pairs not expired. */
  size(): number {
    const cutoff = this.#cutoff();
    const cap = this.#origin.length;
    let n = 0;
    for (let slot = this.#start; slot < this.#end; slot++) if (this.#origin[slot % cap] !== NONE && (this.#time[slot % cap] as number) >= cutoff) n++;
    return n;
  }

  #cutoff(): number {
    return this.#bounds.clock.now() - this.#bounds.ttlMs;
  }

  /** Drops the oldest slots while over the bound or expired. */
  #dropOld(): void {
    const cutoff = this.#cutoff();
    const cap = this.#origin.length;
    for (let i = this.#start % cap; this.#start < this.#end; i = this.#start % cap) {
      if (this.#live <= this.#bounds.maxEntries && this.#origin[i] !== NONE && (this.#time[i] as number) >= cutoff) break;
      const slot = this.#start++;
      if (this.#origin[i] !== NONE) this.#live--;
      const fingerprint = this.#fingerprint[i] as string;
      if (this.#heads.get(fingerprint) === slot) this.#heads.delete(fingerprint);
      this.#fingerprint[i] = '';
    }
  }

  /** The ring is full: doubles it when at least half is live, else renumbers the live slots. */
  #makeRoom(): void {
    const cap = this.#origin.length;
    if (this.#live * 2 < cap) return this.#compact();
    const grown = { fingerprint: new Array<string>(2 * cap).fill(''), origin: new Int32Array(2 * cap), time: new Float64Array(2 * cap), next: new Float64Array(2 * cap) };
    for (let slot = this.#start; slot < this.#end; slot++) {
      const [from, to] = [slot % cap, slot % (2 * cap)];
      grown.fingerprint[to] = this.#fingerprint[from] as string;
      grown.origin[to] = this.#origin[from] as number;
      grown.time[to] = this.#time[from] as number;
      grown.next[to] = this.#next[from] as number;
    }
    this.#fingerprint = grown.fingerprint;
    this.#origin = grown.origin;
    this.#time = grown.time;
    this.#next = grown.next;
  }

  /** Copies the live slots, in order, into a fresh ring numbered from 0; origins re-interned. */
  #compact(): void {
    const cap = this.#origin.length;
    const old = { fingerprint: this.#fingerprint, origin: this.#origin, time: this.#time, origins: this.#origins, start: this.#start, end: this.#end };
    this.#fingerprint = new Array<string>(cap).fill('');
    this.#origin = new Int32Array(cap);
    this.#time = new Float64Array(cap);
    this.#next = new Float64Array(cap);
    this.#heads = new Map();
    this.#origins = [];
    this.#originIds = new Map();
    this.#sourceOf = [];
    this.#sourceIds = new Map();
    this.#start = 0;
    this.#end = 0;
    this.#live = 0;
    const ids = new Map<number, number>();
    for (let slot = old.start; slot < old.end; slot++) {
      const id = old.origin[slot % cap] as number;
      if (id === NONE) continue;
      let fresh = ids.get(id);
      if (fresh === undefined) ids.set(id, (fresh = this.#originId(JSON.stringify(old.origins[id]), old.origins[id])));
      const fingerprint = old.fingerprint[slot % cap] as string;
      const to = this.#end++;
      this.#fingerprint[to] = fingerprint;
      this.#origin[to] = fresh;
      this.#time[to] = old.time[slot % cap] as number;
      this.#next[to] = this.#heads.get(fingerprint) ?? NONE;
      this.#heads.set(fingerprint, to);
      this.#live++;
    }
  }
}
