/**
 * SQLite `FlowStore` (table `flows`, migration 5): one row per (fingerprint, principal, origin),
 * refreshed when remembered again, bounded by `BoundedTable` (default 200000 pairs, 24 hours). An
 * absent tool, session or principal is stored as '' (a primary key column cannot be NULL and still
 * deduplicate); labels as a comma-separated list. Lookups pass the fingerprint list as one JSON
 * parameter, so one prepared statement serves any number of them. The salt lives in `meta`
 * (`flow_salt`), created by the first process to open the file, read by every other.
 * Borrows the database handle.
 */
import { randomBytes } from 'node:crypto';
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
  principal: string;
  labels: string;
  time: number;
}

/** Both implementations: an empty tool, session or principal is none; labels are sorted and unique, none is absent. */
export function flowOrigin(origin: FlowOrigin): FlowOrigin {
  const labels = [...new Set(origin.labels ?? [])].filter((l) => l !== '').sort();
  return {
    upstream: origin.upstream,
    method: origin.method,
    ...(origin.tool ? { tool: origin.tool } : {}),
    ...(origin.session ? { session: origin.session } : {}),
    ...(origin.principal ? { principal: origin.principal } : {}),
    ...(labels.length > 0 ? { labels } : {}),
  };
}

export function lookupLimit(options: FlowLookup): number {
  return Math.min(Math.max(1, Math.trunc(options.limit ?? 100)), 10_000);
}

function toHit(row: Row): FlowHit {
  return { fingerprint: row.fingerprint, origin: flowOrigin({ ...row, labels: row.labels.split(',') }), at: row.time };
}

function saltOf(db: SqliteDatabase): Uint8Array {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('flow_salt', ?)").run(randomBytes(32));
  const row = db.prepare("SELECT value FROM meta WHERE key = 'flow_salt'").get() as { value: Buffer };
  return new Uint8Array(row.value);
}

export class SqliteFlowStore implements FlowStore {
  readonly salt: Uint8Array;
  readonly #table: BoundedTable;
  readonly #remember: (origin: FlowOrigin, fingerprints: readonly string[], at: number) => void;
  readonly #lookup: Statement;

  constructor(db: SqliteDatabase, options: RetentionOptions = {}) {
    this.salt = saltOf(db);
    this.#table = new BoundedTable(db, 'flows', 'time', retention(options, FLOW_DEFAULTS, systemClock));
    const insert = db.prepare(
      'INSERT OR REPLACE INTO flows (fingerprint, upstream, method, tool, session, principal, labels, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#remember = db.transaction((origin: FlowOrigin, fingerprints: readonly string[], at: number) => {
      const o = flowOrigin(origin);
      const labels = (o.labels ?? []).join(',');
      for (const fp of new Set(fingerprints)) insert.run(fp, o.upstream, o.method, o.tool ?? '', o.session ?? '', o.principal ?? '', labels, at);
    });
    this.#lookup = db.prepare(
      `SELECT * FROM flows WHERE fingerprint IN (SELECT value FROM json_each(@fingerprints)) AND time >= @cutoff
       AND (@session IS NULL OR session = @session) AND (@principal IS NULL OR principal = @principal) ORDER BY rowid DESC LIMIT @limit`,
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
    const params = {
      fingerprints: JSON.stringify(fingerprints),
      cutoff: this.#table.cutoff(),
      session: options.session ?? null,
      principal: options.principal ?? null,
      limit: lookupLimit(options),
    };
    return (this.#lookup.all(params) as Row[]).map(toHit);
  }

  size(): number {
    return this.#table.size();
  }

  prune(): number {
    return this.#table.prune();
  }
}
