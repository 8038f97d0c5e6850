/**
 * The store as the composition root uses it: one SQLite file (`gateway.store`) holding the findings
 * audit log and the resumable-stream events, opened and migrated once. `close()` is idempotent and
 * runs each teardown step in try/finally, so a failing step never leaves the file handle open.
 */
import { statSync } from 'node:fs';
import { SqliteEventStore, type EventStoreOptions } from './event-store.js';
import { FindingsStore, type FindingsStoreOptions } from './findings-store.js';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './open-database.js';

export interface WatchdogStoreOptions extends OpenDatabaseOptions {
  findings?: FindingsStoreOptions;
  events?: EventStoreOptions;
}

export interface WatchdogStore {
  readonly db: SqliteDatabase;
  readonly findings: FindingsStore;
  readonly events: SqliteEventStore;
  /** Size on disk (the file and its write-ahead log) and rows per table, for `/status` and `/metrics`. */
  stats(): StoreStats;
  /** Whether the handle still answers a query (`/readyz`). */
  healthy(): boolean;
  close(): void;
}

export interface StoreStats {
  path: string;
  bytes: number;
  rows: { findings: number; events: number };
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function openWatchdogStore(location: string, options: WatchdogStoreOptions = {}): WatchdogStore {
  const db = openDatabase(location, options);
  let findings: FindingsStore;
  let events: SqliteEventStore;
  try {
    findings = new FindingsStore(db, options.findings);
    events = new SqliteEventStore(db, options.events);
  } catch (err) {
    db.close();
    throw err;
  }
  let closed = false;
  const rowCounts = db.prepare('SELECT (SELECT count(*) FROM findings) AS findings, (SELECT count(*) FROM events) AS events');
  return {
    db,
    findings,
    events,
    stats() {
      const bytes = location === ':memory:' ? 0 : fileBytes(location) + fileBytes(`${location}-wal`);
      return { path: location, bytes, rows: rowCounts.get() as StoreStats['rows'] };
    },
    healthy() {
      if (closed) return false;
      try {
        return rowCounts.get() !== undefined;
      } catch {
        return false;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        findings.close();
      } finally {
        try {
          events.close();
        } finally {
          db.close();
        }
      }
    },
  };
}
