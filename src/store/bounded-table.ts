/**
 * The bounded-table helper: retention for one SQLite table of a state store. Every write is an
 * `INSERT OR REPLACE`, which gives the row a fresh, highest rowid, so rowid order is write order and
 * the bound drops the lowest rowids. Rows whose time column is older than the time-to-live are
 * filtered out of reads at once (`cutoff()`) and deleted when retention runs: on open and after every
 * `pruneEvery` writes — so the table never holds more than `maxEntries + pruneEvery - 1` rows.
 * An append-only table (rows never replaced, so rowids are dense: the flow log) drops by the highest
 * rowid instead of by an OFFSET, which walks `maxEntries` rows on every prune.
 * Table and column names come from code, never from input.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import type { Retention } from './retention.js';

export class BoundedTable {
  readonly #bounds: Retention;
  readonly #pruneAge: Statement;
  readonly #pruneRows: Statement;
  readonly #count: Statement;
  #sincePrune = 0;

  constructor(db: SqliteDatabase, table: string, timeColumn: string, bounds: Retention, options: { appendOnly?: boolean } = {}) {
    this.#bounds = bounds;
    this.#pruneAge = db.prepare(`DELETE FROM ${table} WHERE ${timeColumn} < ?`);
    this.#pruneRows = options.appendOnly
      ? db.prepare(`DELETE FROM ${table} WHERE rowid <= (SELECT max(rowid) FROM ${table}) - ?`)
      : db.prepare(`DELETE FROM ${table} WHERE rowid <= (SELECT rowid FROM ${table} ORDER BY rowid DESC LIMIT 1 OFFSET ?)`);
    this.#count = db.prepare(`SELECT count(*) FROM ${table} WHERE ${timeColumn} >= ?`).pluck();
  }

  /** Oldest time still live. */
  cutoff(): number {
    return this.#bounds.clock.now() - this.#bounds.ttlMs;
  }

  /** Counts `n` written rows and applies retention when due. */
  wrote(n = 1): void {
    this.#sincePrune += n;
    if (this.#sincePrune >= this.#bounds.pruneEvery) this.prune();
  }

  /** Applies both bounds now; returns rows deleted. */
  prune(): number {
    this.#sincePrune = 0;
    return this.#pruneAge.run(this.cutoff()).changes + this.#pruneRows.run(this.#bounds.maxEntries).changes;
  }

  /** Live rows. */
  size(): number {
    return this.#count.get(this.cutoff()) as number;
  }
}
