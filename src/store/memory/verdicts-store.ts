/** In-memory twin of `SqliteVerdictStore`: same bounds and defaults, held to the same contract suite (scan, eval, tests). */
import { keptVerdict, systemClock, type ClassifierResult, type VerdictStore } from '../../core/index.js';
import { BoundedMap } from '../bounded-map.js';
import { retention, type RetentionOptions } from '../retention.js';
import { VERDICT_DEFAULTS } from '../verdicts-store.js';

export class MemoryVerdictStore implements VerdictStore {
  readonly #verdicts: BoundedMap<ClassifierResult>;

  constructor(options: RetentionOptions = {}) {
    this.#verdicts = new BoundedMap(retention(options, VERDICT_DEFAULTS, systemClock));
  }

  get(key: string): ClassifierResult | undefined {
    const verdict = this.#verdicts.get(key);
    return verdict && keptVerdict(verdict);
  }

  put(key: string, verdict: ClassifierResult, at: number): void {
    this.#verdicts.set(key, keptVerdict(verdict), at);
  }

  size(): number {
    return this.#verdicts.size();
  }
}
