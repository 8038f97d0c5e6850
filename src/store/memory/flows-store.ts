/**
 * In-memory twin of `SqliteFlowStore`: (fingerprint, origin) pairs in a `BoundedMap`, with an index by
 * fingerprint kept in step through the map's eviction callback. Same bounds, defaults and contract.
 */
import { randomBytes } from 'node:crypto';
import { PendingRemembers, systemClock, type FlowHit, type FlowLookup, type FlowOrigin, type FlowStore } from '../../core/index.js';
import { BoundedMap } from '../bounded-map.js';
import { FLOW_DEFAULTS, flowOrigin, lookupLimit } from '../flow-pairs.js';
import { retention, type RetentionOptions } from '../retention.js';

export class MemoryFlowStore implements FlowStore {
  readonly salt: Uint8Array = new Uint8Array(randomBytes(32));
  readonly #pairs: BoundedMap<FlowHit>;
  readonly #byFingerprint = new Map<string, Set<string>>();
  /** Write order of each pair key, for "most recently remembered first" across fingerprints. */
  readonly #order = new Map<string, number>();
  #writes = 0;
  readonly #pending = new PendingRemembers((origin, fingerprints, at) => this.remember(origin, fingerprints, at));

  constructor(options: RetentionOptions = {}) {
    this.#pairs = new BoundedMap(retention(options, FLOW_DEFAULTS, systemClock), (key, hit) => this.#unindex(key, hit));
  }

  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void {
    const o = flowOrigin(origin);
    const originKey = [o.principal ?? '', o.upstream, o.method, o.tool ?? '', o.session ?? ''].join('\u0000');
    for (const fingerprint of new Set(fingerprints)) {
      const key = `${fingerprint}\u0000${originKey}`;
      this.#pairs.set(key, { fingerprint, origin: o, at }, at);
      const keys = this.#byFingerprint.get(fingerprint) ?? new Set<string>();
      keys.add(key);
      this.#byFingerprint.set(fingerprint, keys);
      this.#order.set(key, ++this.#writes);
    }
  }

  /** See `FlowStore.rememberLater`: fingerprinted on the next turn or before the next lookup. */
  rememberLater(origin: FlowOrigin, produce: () => readonly string[], at: number, bytes: number): void {
    this.#pending.add(origin, produce, at, bytes);
  }

  lookup(fingerprints: readonly string[], options: FlowLookup = {}): FlowHit[] {
    this.#pending.drain();
    const found: Array<{ hit: FlowHit; order: number }> = [];
    for (const fingerprint of new Set(fingerprints)) {
      for (const key of this.#byFingerprint.get(fingerprint) ?? []) {
        const hit = this.#pairs.get(key);
        if (!hit || (options.session !== undefined && hit.origin.session !== options.session)) continue;
        if (options.principal !== undefined && (hit.origin.principal ?? '') !== options.principal) continue;
        found.push({ hit: { ...hit, origin: flowOrigin(hit.origin) }, order: this.#order.get(key) ?? 0 });
      }
    }
    return found.sort((a, b) => b.order - a.order).slice(0, lookupLimit(options)).map((f) => f.hit);
  }

  size(): number {
    this.#pending.drain();
    return this.#pairs.size();
  }

  /** Every live pair, least recently remembered first (for the replicated store's full push). */
  all(): FlowHit[] {
    this.#pending.drain();
    return this.#pairs.newestFirst().reverse().map(([, hit]) => ({ ...hit, origin: { ...hit.origin } }));
  }

  #unindex(key: string, hit: FlowHit): void {
    this.#order.delete(key);
    const keys = this.#byFingerprint.get(hit.fingerprint);
    keys?.delete(key);
    if (keys?.size === 0) this.#byFingerprint.delete(hit.fingerprint);
  }
}
