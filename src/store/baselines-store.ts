/**
 * SQLite `BaselineStore` (table `baselines`, migration 3): one row per key holding the baseline as JSON,
 * updated read-fold-write in one transaction with the port's `foldSample`, bounded by `BoundedTable`
 * (default 20000 baselines, 30 days since the last sample). An expired baseline starts over.
 * With the connection's `TickCommit`, the update joins the tick's transaction (one commit per tick for
 * every store, issue 14) instead of committing on its own. Borrows the database handle.
 */
import type { Statement } from 'better-sqlite3';
import { foldSample, systemClock, type Baseline, type BaselineStore, type Sample } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import type { SqliteDatabase } from './open-database.js';
import { DAY_MS, retention, type RetentionOptions } from './retention.js';
import type { TickCommit } from './tick-commit.js';

export const BASELINE_DEFAULTS = { maxEntries: 20_000, ttlMs: 30 * DAY_MS };

export class SqliteBaselineStore implements BaselineStore {
  readonly #table: BoundedTable;
  readonly #get: Statement;
  readonly #update: (key: string, sample: Sample, at: number) => Baseline;
  readonly #tick: TickCommit | undefined;

  /** `tick`: the connection's shared group commit; default none (each update commits). */
  constructor(db: SqliteDatabase, options: RetentionOptions = {}, tick?: TickCommit) {
    this.#tick = tick;
    this.#table = new BoundedTable(db, 'baselines', 'time', retention(options, BASELINE_DEFAULTS, systemClock));
    this.#get = db.prepare('SELECT value FROM baselines WHERE key = ? AND time >= ?').pluck();
    const put = db.prepare('INSERT OR REPLACE INTO baselines (key, value, time) VALUES (?, ?, ?)');
    this.#update = db.transaction((key: string, sample: Sample, at: number) => {
      const next = foldSample(this.get(key), sample, at);
      put.run(key, JSON.stringify(next), at);
      return next;
    });
    this.#table.prune();
  }

  get(key: string): Baseline | undefined {
    const value = this.#get.get(key, this.#table.cutoff()) as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as Baseline);
  }

  update(key: string, sample: Sample, at: number): Baseline {
    this.#tick?.join();
    const next = this.#update(key, sample, at);
    this.#table.wrote();
    return next;
  }

  size(): number {
    return this.#table.size();
  }

  prune(): number {
    return this.#table.prune();
  }
}
