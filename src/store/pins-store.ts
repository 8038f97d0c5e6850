/**
 * SQLite `PinStore` (table `pins`, migration 4): one row per pin key, the trusted and the pending
 * definition as JSON, bounded by `BoundedTable` (default 50000 pins, 90 days since last seen). A
 * definition text longer than `MAX_PIN_DEFINITION` is not kept (its digests are). The decision counter
 * is a row of `counters`, so every process on the file reads the same value. Borrows the database handle;
 * whoever opened it closes it.
 */
import type { Statement } from 'better-sqlite3';
import {
  keptPin, listLimit, pinKey, pinStatus, systemClock,
  type PendingChange, type Pin, type PinKind, type PinnedDefinition, type PinQuery, type PinRef, type PinStore,
} from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import type { SqliteDatabase } from './open-database.js';
import { DAY_MS, retention, type RetentionOptions } from './retention.js';

export const PIN_DEFAULTS = { maxEntries: 50_000, ttlMs: 90 * DAY_MS };

const DECISIONS = 'pin_decisions';

interface Row {
  upstream: string;
  identity: string;
  kind: string;
  item: string;
  approved: string | null;
  pending: string | null;
  first_seen: number;
  time: number;
}

function toPin(row: Row): Pin {
  const pin: Pin = { upstream: row.upstream, identity: row.identity, kind: row.kind as PinKind, item: row.item, firstSeen: row.first_seen, lastSeen: row.time };
  if (row.approved !== null) pin.approved = JSON.parse(row.approved) as PinnedDefinition;
  if (row.pending !== null) pin.pending = JSON.parse(row.pending) as PendingChange;
  return pin;
}

export class SqlitePinStore implements PinStore {
  readonly #table: BoundedTable;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #list: Statement;
  readonly #decisions: Statement;
  readonly #decided: Statement;

  constructor(db: SqliteDatabase, options: RetentionOptions = {}) {
    this.#table = new BoundedTable(db, 'pins', 'time', retention(options, PIN_DEFAULTS, systemClock));
    this.#get = db.prepare('SELECT * FROM pins WHERE key = ? AND time >= ?');
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO pins (key, upstream, identity, kind, item, status, approved, pending, first_seen, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#delete = db.prepare('DELETE FROM pins WHERE key = ? RETURNING time').pluck();
    // Filters are optional: a NULL parameter matches every row.
    this.#list = db.prepare(
      `SELECT * FROM pins WHERE time >= @cutoff AND (@upstream IS NULL OR upstream = @upstream) AND (@status IS NULL OR status = @status)
       AND (@kind IS NULL OR kind = @kind) ORDER BY rowid DESC LIMIT @limit`,
    );
    this.#decisions = db.prepare(`SELECT value FROM counters WHERE name = '${DECISIONS}'`).pluck();
    this.#decided = db.prepare(`INSERT INTO counters (name, value) VALUES ('${DECISIONS}', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1`);
    this.#table.prune();
  }

  get(ref: PinRef): Pin | undefined {
    const row = this.#get.get(pinKey(ref), this.#table.cutoff()) as Row | undefined;
    return row && toPin(row);
  }

  put(pin: Pin): void {
    const kept = keptPin(pin);
    const json = (value: object | undefined) => (value === undefined ? null : JSON.stringify(value));
    this.#put.run(pinKey(kept), kept.upstream, kept.identity, kept.kind, kept.item, pinStatus(kept), json(kept.approved), json(kept.pending), kept.firstSeen, kept.lastSeen);
    this.#table.wrote();
  }

  delete(ref: PinRef): boolean {
    const time = this.#delete.get(pinKey(ref)) as number | undefined;
    return time !== undefined && time >= this.#table.cutoff();
  }

  list(query: PinQuery = {}): Pin[] {
    const rows = this.#list.all({
      cutoff: this.#table.cutoff(),
      upstream: query.upstream ?? null,
      status: query.status ?? null,
      kind: query.kind ?? null,
      limit: listLimit(query.limit),
    }) as Row[];
    return rows.map(toPin);
  }

  size(): number {
    return this.#table.size();
  }

  decisions(): number {
    return (this.#decisions.get() as number | undefined) ?? 0;
  }

  decided(): void {
    this.#decided.run();
  }

  /** Applies the retention bounds now; returns rows deleted. */
  prune(): number {
    return this.#table.prune();
  }
}
