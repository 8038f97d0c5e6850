/** In-memory twin of `SqliteBaselineStore` (which folds in one of these): same fold, bounds, defaults and contract suite. */
import { foldSample, systemClock, type Baseline, type BaselineStore, type Sample } from '../../core/index.js';
import { BoundedMap } from '../bounded-map.js';
import { DAY_MS, retention, type RetentionOptions } from '../retention.js';

/** Shared with `SqliteBaselineStore`, which folds in this twin and writes behind. */
export const BASELINE_DEFAULTS = { maxEntries: 20_000, ttlMs: 30 * DAY_MS };

/** A deep copy, so callers never hold the stored object (as with rows read from SQLite). */
function copy(baseline: Baseline): Baseline {
  return JSON.parse(JSON.stringify(baseline)) as Baseline;
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
    this.#baselines.set(key, copy(baseline), baseline.lastSeen);
  }

  /** Every live baseline, least recently updated first (for the replicated store's full push). */
  all(): Array<[string, Baseline]> {
    return this.#baselines.newestFirst().reverse().map(([key, baseline]) => [key, copy(baseline)]);
  }
}
