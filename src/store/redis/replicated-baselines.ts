/**
 * The replicated `BaselineStore` (issue 16): `get` answers from the in-memory twin; `update` folds the
 * sample into the twin's baseline and sends the result. A baseline is running statistics, not a
 * decision, so the last write wins: two replicas folding samples into one key within the time a
 * message takes to arrive may lose one of those samples (README "Scaling out").
 */
import type { Baseline, BaselineStore, Sample } from '../../core/index.js';
import type { MemoryBaselineStore } from '../memory/index.js';
import { memberOf, type RedisTable, type TableItem } from './redis-table.js';
import { Replica, type ChangeMessage, type ReplicaContext } from './replica.js';

interface Entry {
  key: string;
  baseline: Baseline;
}

function item(key: string, baseline: Baseline): TableItem {
  return [memberOf(key), JSON.stringify({ key, baseline } satisfies Entry)];
}

export class ReplicatedBaselineStore extends Replica implements BaselineStore {
  readonly #twin: MemoryBaselineStore;

  constructor(ctx: ReplicaContext, table: RedisTable, twin: MemoryBaselineStore, maxEntries: number) {
    super(ctx, table, 'baselines', maxEntries);
    this.#twin = twin;
  }

  get(key: string): Baseline | undefined {
    return this.#twin.get(key);
  }

  update(key: string, sample: Sample, at: number): Baseline {
    const next = this.#twin.update(key, sample, at);
    this.send([item(key, next)]);
    return next;
  }

  size(): number {
    return this.#twin.size();
  }

  protected apply(message: ChangeMessage): void {
    for (const entry of (message.set ?? []) as Entry[]) this.#twin.restore(entry.key, entry.baseline);
  }

  protected applyLoaded(values: readonly string[]): void {
    for (const value of values) this.apply({ r: '', t: 'baselines', set: [JSON.parse(value)] });
  }

  everything(): TableItem[] {
    return this.#twin.all().map(([key, baseline]) => item(key, baseline));
  }
}
