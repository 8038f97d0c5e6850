/**
 * The store opened for reading only (`watchdog findings`, and the architecture review's "`watchdog
 * status` opens the database read-write, which migrates and prunes: a read with side effects"). Opened
 * with SQLite's read-only flag, so nothing — migration, salt, retention — can write; a missing file is
 * reported, never created. A file from a newer mcp-watchdog, or one with no findings table yet, is
 * refused with a message (StoreUnavailable) rather than guessed at.
 */
import { existsSync } from 'node:fs';
import { FindingsStore } from './findings-store.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';

export interface StoreReader {
  /** Read-only: `record` and `prune` throw. */
  readonly findings: FindingsStore;
  close(): void;
}

/** Why a store file cannot be read; the message is for the user. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

export function openStoreReader(location: string, options: OpenDatabaseOptions = {}): StoreReader {
  if (!existsSync(location)) throw new StoreUnavailable(`${location}: no store yet (the gateway creates it when it first runs)`);
  let db;
  try {
    db = openDatabase(location, { ...options, readonly: true });
  } catch (err) {
    throw new StoreUnavailable(err instanceof Error ? err.message : String(err));
  }
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < 1) throw new StoreUnavailable(`${location}: not an mcp-watchdog store (no findings table)`);
    const findings = new FindingsStore(db, { readOnly: true });
    let closed = false;
    return {
      findings,
      close() {
        if (closed) return;
        closed = true;
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
