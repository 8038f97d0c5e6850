/**
 * The store as the composition root uses it: one SQLite file (`gateway.store`) holding the findings
 * audit log, the state stores behind the pin, flow and baseline ports and
 * the LLM judge's verdict cache (issue 15; per gateway even when the state ports are on Valkey/Redis),
 * opened and migrated once; their writes of one tick share one commit (`TickCommit`). The resumable-stream
 * events live in memory (`MemoryEventStore`, issue 14); events an earlier version left in the file's
 * `events` table are deleted on open. `close()` is idempotent and
 * runs each teardown step in try/finally, so a failing step never leaves the file handle open.
 */
import { statSync } from 'node:fs';
import { MemoryEventStore, type EventStoreOptions } from './event-store.js';
import { FindingsStore, type FindingsStoreOptions } from './findings-store.js';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './open-database.js';
import { SqliteBaselineStore, type BaselineStoreOptions } from './baselines-store.js';
import { SqliteFlowStore } from './flows-store.js';
import { SqlitePinStore } from './pins-store.js';
import { TickCommit } from './tick-commit.js';
import { SqliteVerdictStore, type VerdictStoreOptions } from './verdicts-store.js';
import type { StateStoreOptions, StateStores } from './memory/index.js';

export interface WatchdogStoreOptions extends OpenDatabaseOptions, Omit<StateStoreOptions, 'baselines'> {
  baselines?: BaselineStoreOptions;
  findings?: FindingsStoreOptions;
  events?: EventStoreOptions;
  verdicts?: VerdictStoreOptions;
  /** Told when a group commit at the end of a tick fails (its writes are rolled back); default: ignored. */
  onCommitError?: (err: unknown) => void;
  /**
   * How long the flow rows of successive calls gather before one commit writes them (`TickCommit`);
   * default 0: at the end of each tick. Other processes on the file see them that much later.
   */
  commitWindowMs?: number;
}

export interface WatchdogStore extends StateStores {
  readonly db: SqliteDatabase;
  readonly findings: FindingsStore;
  readonly events: MemoryEventStore;
  readonly pins: SqlitePinStore;
  readonly flows: SqliteFlowStore;
  readonly baselines: SqliteBaselineStore;
  readonly verdicts: SqliteVerdictStore;
  /** Size on disk (the file and its write-ahead log) and rows per table, for `/status` and `/metrics`. */
  stats(): StoreStats;
  /** Whether the handle still answers a query (`/readyz`). */
  healthy(): boolean;
  close(): void;
}

export interface StoreStats {
  path: string;
  bytes: number;
  /** `events`: resumable-stream events held in memory (the file holds none). */
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
  let events: MemoryEventStore;
  let state: Pick<WatchdogStore, 'pins' | 'flows' | 'baselines' | 'verdicts'>;
  try {
    findings = new FindingsStore(db, options.findings);
    // One group commit for the writes of a tick or a window of ticks: flow rows (and any baseline flush).
    const tick = new TickCommit(db, { onError: options.onCommitError, windowMs: options.commitWindowMs });
    db.exec('DELETE FROM events');
    events = new MemoryEventStore(options.events);
    state = {
      pins: new SqlitePinStore(db, options.pins),
      flows: new SqliteFlowStore(db, options.flows, tick),
      baselines: new SqliteBaselineStore(db, { ...options.baselines, onError: options.onCommitError }, tick),
      verdicts: new SqliteVerdictStore(db, options.verdicts),
    };
  } catch (err) {
    db.close();
    throw err;
  }
  let closed = false;
  const rowCounts = db.prepare('SELECT count(*) AS findings FROM findings');
  return {
    db,
    findings,
    events,
    ...state,
    stats() {
      const bytes = location === ':memory:' ? 0 : fileBytes(location) + fileBytes(`${location}-wal`);
      const { findings: rows } = rowCounts.get() as { findings: number };
      return { path: location, bytes, rows: { findings: rows, events: events.size().events } };
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
        state.baselines.close();
        state.flows.close();
      } finally {
        try {
          findings.close();
        } finally {
          try {
            events.close();
          } finally {
            db.close();
          }
        }
      }
    },
  };
}
