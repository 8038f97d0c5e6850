/** In-memory twin of `SqliteBaselineStore` (which folds in one of these): same fold, bounds, defaults and contract suite. */
import { foldSample, systemClock, type Baseline, type BaselineStore, type Sample } from '../../core/index.js';
import { BoundedMap } from '../bounded-map.js';
import { DAY_MS, retention, type RetentionOptions } from '../retention.js';

/** Shared with `SqliteBaselineStore`, which folds in this twin and writes behind. */
export const BASELINE_DEFAULTS = { maxEntries: 20_000, ttlMs: 30 * DAY_MS };

/**
 * A deep copy, so callers never hold the stored object (as with rows read from SQLite). Built field by
 * field (a baseline is numbers, records of numbers and arrays of numbers): a JSON round trip was three
 * copies a call at ~0.05 ms each (issue 14). Feature names stay own properties, `__proto__` included.
 */
function copy(baseline: Baseline): Baseline {
  const { samples, features, firstSeen, lastSeen, recent } = baseline;
  // A restored value (another replica's, a stored row) of another shape is copied as it came.
  if (typeof features !== 'object' || features === null || (recent !== undefined && (typeof recent !== 'object' || recent === null || !Object.values(recent).every(Array.isArray)))) {
    return JSON.parse(JSON.stringify(baseline)) as Baseline;
  }
  const out: Baseline = { samples, features: Object.fromEntries(Object.entries(features).map(([name, stats]) => [name, { ...stats }])), firstSeen, lastSeen };
  if (recent !== undefined) out.recent = Object.fromEntries(Object.entries(recent).map(([name, values]) => [name, [...values]]));
  return out;
}

export class MemoryBaselineStore implements BaselineStore {
  readonly #baselines: BoundedMap<Baseline>;

  constructor(options: RetentionOptions = {}) {
    this.#baselines = new BoundedMap(retention(options, BASELINE_DEFAULTS, systemClock));
  }

  get(key: string): Baseline | undefined {
    const baseline = this.#baselines.get(key);
    return baseline && copy(baseline);
  }

  update(key: string, sample: Sample, at: number): Baseline {
    const next = foldSample(this.#baselines.get(key), sample, at);
    this.#baselines.set(key, next, at);
    return copy(next);
  }

  size(): number {
    return this.#baselines.size();
  }

  /** Puts a baseline as it is (another replica's fold), as the most recently updated. */
  restore(key: string, baseline: Baseline): void {
    // Another replica's value: copied as it came (the JSON round trip keeps whatever it holds).
    this.#baselines.set(key, JSON.parse(JSON.stringify(baseline)) as Baseline, baseline.lastSeen);
  }

  /** Every live baseline, least recently updated first (for the replicated store's full push). */
  all(): Array<[string, Baseline]> {
    return this.#baselines.newestFirst().reverse().map(([key, baseline]) => [key, copy(baseline)]);
  }
}
