/**
 * What both flow stores (SQLite and the in-memory twin) agree on: their default bounds, the canonical
 * form of an origin, the lookup limit and order (issue 9). Its own module so the SQLite store can build on the
 * twin without an import cycle.
 */
import type { FlowHit, FlowLookup, FlowOrigin } from '../core/index.js';
import { HOUR_MS } from './retention.js';

/** Default bounds of the flow stores: 200000 pairs, 24 hours. */
export const FLOW_DEFAULTS = { maxEntries: 200_000, ttlMs: 24 * HOUR_MS };

/** Both implementations: an empty tool, session or principal is none; labels are sorted and unique, none is absent. */
export function flowOrigin(origin: FlowOrigin): FlowOrigin {
  const labels = [...new Set(origin.labels ?? [])].filter((l) => l !== '').sort();
  return {
    upstream: origin.upstream,
    method: origin.method,
    ...(origin.tool ? { tool: origin.tool } : {}),
    ...(origin.session ? { session: origin.session } : {}),
    ...(origin.principal ? { principal: origin.principal } : {}),
    ...(labels.length > 0 ? { labels } : {}),
  };
}

export function lookupLimit(options: FlowLookup): number {
  return Math.min(Math.max(1, Math.trunc(options.limit ?? 100)), 10_000);
}


/** Hits sorted by insertion instead of `Array.prototype.sort` up to this many (a check's usual few dozen). */
const INSERTION_SORTED = 64;

/**
 * The hits one lookup gathers with the write order of each (a number growing with every write), kept
 * by the store from lookup to lookup and handed out most recently remembered first, ties in the order
 * gathered; a hit gathered again (its fingerprint asked twice) is handed out once (issue 9, "Fast": a
 * `Set` of the fingerprints asked and an object per hit to sort were a fifth of a check's garbage).
 */
export class GatheredHits {
  #hits: Array<FlowHit | undefined> = [];
  #order = new Float64Array(INSERTION_SORTED);
  #rank = new Int32Array(INSERTION_SORTED);
  #n = 0;

  clear(): void {
    this.#n = 0;
  }

  add(hit: FlowHit, order: number): void {
    if (this.#n === this.#order.length) {
      const order2 = new Float64Array(2 * this.#n);
      order2.set(this.#order);
      this.#order = order2;
      this.#rank = new Int32Array(2 * this.#n);
    }
    this.#hits[this.#n] = hit;
    this.#order[this.#n++] = order;
  }

  /** At most `limit` of the hits, most recent first; then empties (no hit is kept past the call). */
  newestFirst(limit: number): FlowHit[] {
    const n = this.#n;
    const rank = this.#rank;
    for (let k = 0; k < n; k++) rank[k] = k;
    this.#sort(n);
    const out: FlowHit[] = [];
    for (let k = 0; k < n && out.length < limit; k++) if (!this.#repeated(k)) out.push(this.#hits[rank[k] as number] as FlowHit);
    for (let k = 0; k < n; k++) this.#hits[k] = undefined;
    this.#n = 0;
    return out;
  }

  /** Orders `rank[0 … n)` by write order, newest first, ties by index. */
  #sort(n: number): void {
    const rank = this.#rank;
    const order = this.#order;
    if (n > INSERTION_SORTED) {
      const sorted = Array.from(rank.subarray(0, n)).sort((a, b) => (order[b] as number) - (order[a] as number) || a - b);
      rank.set(sorted);
      return;
    }
    for (let k = 1; k < n; k++) {
      const r = rank[k] as number;
      let j = k;
      for (; j > 0 && (order[rank[j - 1] as number] as number) < (order[r] as number); j--) rank[j] = rank[j - 1] as number;
      rank[j] = r;
    }
  }

  /** Whether the hit at `rank[k]` repeats an earlier one: the same write (one pair) and fingerprint. */
  #repeated(k: number): boolean {
    const hit = this.#hits[this.#rank[k] as number] as FlowHit;
    const order = this.#order[this.#rank[k] as number];
    for (let j = k - 1; j >= 0 && this.#order[this.#rank[j] as number] === order; j--) {
      if ((this.#hits[this.#rank[j] as number] as FlowHit).fingerprint === hit.fingerprint) return true;
    }
    return false;
  }
}
