/**
 * The store as the composition root uses it: one SQLite file (`gateway.store`) holding the findings
 * audit log and the resumable-stream events, opened and migrated once. `close()` is idempotent and
 * runs each teardown step in try/finally, so a failing step never leaves the file handle open.
 */
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
  close(): void;
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
  return {
    db,
    findings,
    events,
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
