/**
 * The store opened for reading only (issue 13: `watchdog findings`, and the architecture review's
 * "`watchdog status` opens the database read-write, which migrates and prunes: a read with side
 * effects"). Opened with SQLite's read-only flag, so nothing — migration, salt, retention — can write;
 * a missing file is reported, never created. A file from a newer mcp-watchdog, or one that has no
 * findings table yet, is refused with a message rather than guessed at.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { FindingsReader } from './findings-query.js';
import { MIGRATIONS } from './open-database.js';

export interface ReadOnlyStore {
  readonly findings: FindingsReader;
  close(): void;
}

export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

export function openReadOnlyStore(location: string): ReadOnlyStore {
  if (!existsSync(location)) throw new StoreUnavailable(`${location}: no store yet (the gateway creates it when it first runs)`);
  const db = new Database(location, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new StoreUnavailable(`${location}: database schema version ${version} is newer than this mcp-watchdog supports (${MIGRATIONS.length})`);
    if (version < 1) throw new StoreUnavailable(`${location}: not an mcp-watchdog store (no findings table)`);
    const findings = new FindingsReader(db);
    let closed = false;
    return {
      findings,
      close() {
        if (closed) return;
        closed = true;
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
