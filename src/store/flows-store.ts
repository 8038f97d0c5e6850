/**
 * SQLite `FlowStore` (table `flows`, migration 3): one row per (fingerprint, origin), refreshed when
 * remembered again, bounded by `BoundedTable` (default 200000 pairs, 24 hours). An absent tool or
 * session is stored as '' (a primary key column cannot be NULL and still deduplicate). Lookups pass
 * the fingerprint list as one JSON parameter, so one prepared statement serves any number of them.
 * Borrows the database handle.
 */
import type { Statement } from 'better-sqlite3';
import { systemClock, type FlowHit, type FlowLookup, type FlowOrigin, type FlowStore } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import type { SqliteDatabase } from './open-database.js';
import { HOUR_MS, retention, type RetentionOptions } from './retention.js';

export const FLOW_DEFAULTS = { maxEntries: 200_000, ttlMs: 24 * HOUR_MS };

interface Row {
  fingerprint: string;
  upstream: string;
  method: string;
  tool: string;
  session: string;
  time: number;
}

/** Both implementations: an empty tool or session is no tool or session. */
export function flowOrigin(origin: FlowOrigin): FlowOrigin {
  return { upstream: origin.upstream, method: origin.method, ...(origin.tool ? { tool: origin.tool } : {}), ...(origin.session ? { session: origin.session } : {}) };
}

export function lookupLimit(options: FlowLookup): number {
  return Math.min(Math.max(1, Math.trunc(options.limit ?? 100)), 10_000);
}

function toHit(row: Row): FlowHit {
  return { fingerprint: row.fingerprint, origin: flowOrigin(row), at: row.time };
}

export class SqliteFlowStore implements FlowStore {
  readonly #table: BoundedTable;
  readonly #remember: (origin: FlowOrigin, fingerprints: readonly string[], at: number) => void;
  readonly #lookup: Statement;

  constructor(db: SqliteDatabase, options: RetentionOptions = {}) {
    this.#table = new BoundedTable(db, 'flows', 'time', retention(options, FLOW_DEFAULTS, systemClock));
    const insert = db.prepare('INSERT OR REPLACE INTO flows (fingerprint, upstream, method, tool, session, time) VALUES (?, ?, ?, ?, ?, ?)');
    this.#remember = db.transaction((origin: FlowOrigin, fingerprints: readonly string[], at: number) => {
      for (const fp of new Set(fingerprints)) insert.run(fp, origin.upstream, origin.method, origin.tool ?? '', origin.session ?? '', at);
    });
    this.#lookup = db.prepare(
      `SELECT * FROM flows WHERE fingerprint IN (SELECT value FROM json_each(@fingerprints)) AND time >= @cutoff
       AND (@session IS NULL OR session = @session) ORDER BY rowid DESC LIMIT @limit`,
    );
    this.#table.prune();
  }

  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void {
    if (fingerprints.length === 0) return;
    this.#remember(origin, fingerprints, at);
    this.#table.wrote(new Set(fingerprints).size);
  }

  lookup(fingerprints: readonly string[], options: FlowLookup = {}): FlowHit[] {
    if (fingerprints.length === 0) return [];
    const params = { fingerprints: JSON.stringify(fingerprints), cutoff: this.#table.cutoff(), session: options.session ?? null, limit: lookupLimit(options) };
    return (this.#lookup.all(params) as Row[]).map(toHit);
  }

  size(): number {
    return this.#table.size();
  }

  prune(): number {
    return this.#table.prune();
  }
}
