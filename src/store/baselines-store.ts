/**
 * SQLite `BaselineStore` (table `baselines`, migration 3), folded in memory and written behind (issue 14):
 * every tool call read its baseline (a query and a JSON parse) and wrote it back (~3 WAL pages), so the
 * baselines are loaded once at open into the in-memory twin, `get`/`update` use that copy only, and the
 * baselines updated since the last write are written in one transaction every `flushMs` (default 5 s)
 * and at `close()`. A crash loses at most the samples of one interval: a baseline then restarts that
 * much earlier, which only delays what it learns. Bounded as before, in memory and in the table
 * (default 20000 baselines, 30 days since the last sample; an expired baseline starts over).
 * With the connection's `TickCommit`, a batch joins the tick's transaction (one commit per tick for every
 * store). The file is this process's: two gateways sharing one file each keep their own copy and the
 * last batch written wins (README "Scaling out": shared baselines need `redis://`). Borrows the handle.
 */
import type { Statement } from 'better-sqlite3';
import { systemClock, type Baseline, type BaselineStore, type Sample } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import { BASELINE_DEFAULTS, MemoryBaselineStore } from './memory/baselines-store.js';
import type { SqliteDatabase } from './open-database.js';
import { retention, type RetentionOptions } from './retention.js';
import type { TickCommit } from './tick-commit.js';

export { BASELINE_DEFAULTS };

export interface BaselineStoreOptions extends RetentionOptions {
  /** How often the baselines updated since the last write are written; default 5000 ms. */
  flushMs?: number;
  /** Told when a timed write fails (the baselines stay pending for the next one); default: ignored. */
  onError?: (err: unknown) => void;
}

export class SqliteBaselineStore implements BaselineStore {
  readonly #db: SqliteDatabase;
  readonly #table: BoundedTable;
  readonly #memory: MemoryBaselineStore;
  readonly #write: (entries: Array<[string, Baseline, number]>) => void;
  readonly #tick: TickCommit | undefined;
  readonly #timer: NodeJS.Timeout;
  /** key → time of its newest sample not yet written. */
  #dirty = new Map<string, number>();
  #closed = false;

  /** `tick`: the connection's shared group commit; default none (each batch commits on its own). */
  constructor(db: SqliteDatabase, options: BaselineStoreOptions = {}, tick?: TickCommit) {
    this.#db = db;
    this.#tick = tick;
    const bounds = retention(options, BASELINE_DEFAULTS, systemClock);
    this.#table = new BoundedTable(db, 'baselines', 'time', bounds);
    this.#memory = new MemoryBaselineStore(options);
    const put = db.prepare('INSERT OR REPLACE INTO baselines (key, value, time) VALUES (?, ?, ?)');
    this.#write = db.transaction((entries: Array<[string, Baseline, number]>) => {
      for (const [key, baseline, at] of entries) put.run(key, JSON.stringify(baseline), at);
    });
    this.#table.prune();
    this.#load(db.prepare('SELECT key, value FROM baselines WHERE time >= ? ORDER BY time'));
    const onError = options.onError ?? (() => undefined);
    this.#timer = setInterval(() => {
      try {
        this.flush();
      } catch (err) {
        onError(err);
      }
    }, Math.max(1, options.flushMs ?? 5000));
    this.#timer.unref();
  }

  #load(live: Statement): void {
    for (const row of live.iterate(this.#table.cutoff()) as Iterable<{ key: string; value: string }>) {
      this.#memory.restore(row.key, JSON.parse(row.value) as Baseline);
    }
  }

  get(key: string): Baseline | undefined {
    return this.#memory.get(key);
  }

  update(key: string, sample: Sample, at: number): Baseline {
    const next = this.#memory.update(key, sample, at);
    this.#dirty.set(key, at);
    return next;
  }

  size(): number {
    return this.#memory.size();
  }

  prune(): number {
    return this.#table.prune();
  }

  /** Writes the baselines updated since the last write now; on failure they stay pending and it throws. */
  flush(): void {
    if (this.#dirty.size === 0 || !this.#db.open) return;
    const dirty = this.#dirty;
    this.#dirty = new Map();
    const entries: Array<[string, Baseline, number]> = [];
    for (const [key, at] of dirty) {
      const baseline = this.#memory.get(key);
      if (baseline) entries.push([key, baseline, at]);
    }
    try {
      this.#tick?.join();
      this.#write(entries);
    } catch (err) {
      for (const [key, at] of dirty) if (!this.#dirty.has(key)) this.#dirty.set(key, at);
      throw err;
    }
    this.#table.wrote(entries.length);
  }

  /** Writes what is pending and stops the timer; idempotent; the handle stays open (its owner closes it). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    try {
      this.flush();
    } finally {
      this.#tick?.flush();
    }
  }
}
