/**
 * The store as the composition root uses it: one SQLite file (`gateway.store`) holding the findings
 * audit log, the resumable-stream events and the state stores behind the pin, flow and baseline ports,
 * opened and migrated once. `close()` is idempotent and
 * runs each teardown step in try/finally, so a failing step never leaves the file handle open.
 */
import { SqliteEventStore, type EventStoreOptions } from './event-store.js';
import { FindingsStore, type FindingsStoreOptions } from './findings-store.js';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './open-database.js';
import { SqliteBaselineStore } from './baselines-store.js';
import { SqliteFlowStore } from './flows-store.js';
import { SqlitePinStore } from './pins-store.js';
import type { StateStoreOptions, StateStores } from './memory/index.js';

export interface WatchdogStoreOptions extends OpenDatabaseOptions, StateStoreOptions {
  findings?: FindingsStoreOptions;
  events?: EventStoreOptions;
}

export interface WatchdogStore extends StateStores {
  readonly db: SqliteDatabase;
  readonly findings: FindingsStore;
  readonly events: SqliteEventStore;
  readonly pins: SqlitePinStore;
  readonly flows: SqliteFlowStore;
  readonly baselines: SqliteBaselineStore;
  close(): void;
}

export function openWatchdogStore(location: string, options: WatchdogStoreOptions = {}): WatchdogStore {
  const db = openDatabase(location, options);
  let findings: FindingsStore;
  let events: SqliteEventStore;
  let state: Pick<WatchdogStore, 'pins' | 'flows' | 'baselines'>;
  try {
    findings = new FindingsStore(db, options.findings);
    events = new SqliteEventStore(db, options.events);
    state = { pins: new SqlitePinStore(db, options.pins), flows: new SqliteFlowStore(db, options.flows), baselines: new SqliteBaselineStore(db, options.baselines) };
  } catch (err) {
    db.close();
    throw err;
  }
  let closed = false;
  return {
    db,
    findings,
    events,
    ...state,
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

/** The audit log of an existing store file, opened read-only (`watchdog status`). */
export interface StoreReader {
  readonly findings: FindingsStore;
  close(): void;
}

/** Opens `location` for reading: no creation, migration or pruning; throws when it has no findings table yet. */
export function openStoreReader(location: string, options: OpenDatabaseOptions = {}): StoreReader {
  const db = openDatabase(location, { ...options, readonly: true });
  try {
    const findings = new FindingsStore(db, { readOnly: true });
    return {
      findings,
      close() {
        try {
          findings.close();
        } finally {
          db.close();
        }
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
