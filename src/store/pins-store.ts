/**
 * SQLite `PinStore` (table `pins`, migration 3): one row per key, bounded by `BoundedTable`
 * (default 50000 pins, 90 days since last seen). A definition longer than `MAX_PIN_DEFINITION` is not
 * kept. Borrows the database handle; whoever opened it closes it.
 */
import type { Statement } from 'better-sqlite3';
import { MAX_PIN_DEFINITION, systemClock, type Pin, type PinEntry, type PinStore } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import type { SqliteDatabase } from './open-database.js';
import { DAY_MS, retention, type RetentionOptions } from './retention.js';

export const PIN_DEFAULTS = { maxEntries: 50_000, ttlMs: 90 * DAY_MS };

interface Row {
  key: string;
  digest: string;
  definition: string | null;
  first_seen: number;
  time: number;
}

function toEntry(row: Row): PinEntry {
  return { key: row.key, digest: row.digest, ...(row.definition === null ? {} : { definition: row.definition }), firstSeen: row.first_seen, lastSeen: row.time };
}

/** The definition a store keeps (both implementations use this). */
export function keptDefinition(pin: Pin): string | undefined {
  return pin.definition !== undefined && pin.definition.length <= MAX_PIN_DEFINITION ? pin.definition : undefined;
}

export class SqlitePinStore implements PinStore {
  readonly #table: BoundedTable;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #list: Statement;

  constructor(db: SqliteDatabase, options: RetentionOptions = {}) {
    this.#table = new BoundedTable(db, 'pins', 'time', retention(options, PIN_DEFAULTS, systemClock));
    this.#get = db.prepare('SELECT * FROM pins WHERE key = ? AND time >= ?');
    this.#put = db.prepare('INSERT OR REPLACE INTO pins (key, digest, definition, first_seen, time) VALUES (?, ?, ?, ?, ?)');
    this.#delete = db.prepare('DELETE FROM pins WHERE key = ? RETURNING time').pluck();
    this.#list = db.prepare('SELECT * FROM pins WHERE time >= ? ORDER BY rowid DESC LIMIT ?');
    this.#table.prune();
  }

  get(key: string): Pin | undefined {
    const row = this.#get.get(key, this.#table.cutoff()) as Row | undefined;
    if (!row) return undefined;
    const { key: _key, ...pin } = toEntry(row);
    return pin;
  }

  put(key: string, pin: Pin): void {
    this.#put.run(key, pin.digest, keptDefinition(pin) ?? null, pin.firstSeen, pin.lastSeen);
    this.#table.wrote();
  }

  delete(key: string): boolean {
    const time = this.#delete.get(key) as number | undefined;
    return time !== undefined && time >= this.#table.cutoff();
  }

  list(limit = 100): PinEntry[] {
    const n = Math.min(Math.max(1, Math.trunc(limit)), 10_000);
    return (this.#list.all(this.#table.cutoff(), n) as Row[]).map(toEntry);
  }

  size(): number {
    return this.#table.size();
  }

  /** Applies the retention bounds now; returns rows deleted. */
  prune(): number {
    return this.#table.prune();
  }
}
