/**
 * Opens the gateway's one SQLite file (undici's sqlite-cache-store shape): WAL so readers
 * (`watchdog status`) never block the writer, a `busy_timeout` so a second process waits instead of
 * failing, and migrations keyed by `PRAGMA user_version` — an append-only array of SQL steps, each
 * applied in its own transaction together with the version bump. A file written by a newer
 * mcp-watchdog (higher version than we know) is refused rather than guessed at. Two processes may open
 * one fresh file at the same instant (two gateways started together): the WAL switch is retried and
 * every migration step re-reads the version under an IMMEDIATE write lock.
 * Private by default (issue 7, item 14): the folder is created 0700, the file (and its -wal/-shm, which
 * SQLite creates with the file's mode) 0600 — an existing file with wider modes is narrowed on open —
 * and `secure_delete` overwrites deleted rows instead of leaving them in free pages.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** Append-only: step i brings the file to `user_version = i + 1`. Never edit a shipped step. */
export const MIGRATIONS: readonly string[] = [
  // 1: audit log of findings (issue 4) and a key/value table for per-database secrets such as the salt.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
   CREATE TABLE findings (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     time INTEGER NOT NULL,
     upstream TEXT NOT NULL,
     session TEXT,
     direction TEXT NOT NULL,
     method TEXT NOT NULL,
     tool TEXT,
     rule TEXT NOT NULL,
     severity TEXT NOT NULL,
     action TEXT NOT NULL,
     field_path TEXT NOT NULL,
     match_hash TEXT NOT NULL,
     excerpt TEXT NOT NULL
   ) STRICT;
   CREATE INDEX findings_time ON findings (time);`,
  // 2: events of resumable Streamable HTTP streams, scoped per session.
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY,
     scope TEXT NOT NULL,
     stream_id TEXT NOT NULL,
     time INTEGER NOT NULL,
     message TEXT NOT NULL
   ) STRICT;
   CREATE INDEX events_stream ON events (scope, stream_id, seq);
   CREATE INDEX events_time ON events (time);`,
  // 3: state of the stateful detectors (issue 8): pins, flows, baselines. `time` is the last write, the
  // time-to-live counts from it; rowid order is write order (bounded-table.ts).
  `CREATE TABLE pins (
     key TEXT PRIMARY KEY,
     digest TEXT NOT NULL,
     definition TEXT,
     first_seen INTEGER NOT NULL,
     time INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX pins_time ON pins (time);
   CREATE TABLE flows (
     fingerprint TEXT NOT NULL,
     upstream TEXT NOT NULL,
     method TEXT NOT NULL,
     tool TEXT NOT NULL,
     session TEXT NOT NULL,
     time INTEGER NOT NULL,
     PRIMARY KEY (fingerprint, upstream, method, tool, session)
   ) STRICT;
   CREATE INDEX flows_time ON flows (time);
   CREATE TABLE baselines (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     time INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX baselines_time ON baselines (time);`,
  // 4: pins as tool pinning uses them (issue 10): the key's parts as columns (listing by upstream and
  // status), the trusted and the pending definition as JSON, and a table of counters for the decision
  // counter every process on the file polls. The pins of step 3 were never written by a detector.
  `DROP TABLE pins;
   CREATE TABLE pins (
     key TEXT PRIMARY KEY,
     upstream TEXT NOT NULL,
     identity TEXT NOT NULL,
     kind TEXT NOT NULL,
     item TEXT NOT NULL,
     status TEXT NOT NULL,
     approved TEXT,
     pending TEXT,
     first_seen INTEGER NOT NULL,
     time INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX pins_time ON pins (time);
   CREATE INDEX pins_upstream ON pins (upstream, status);
   CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;`,
  // 5: flows as flow tracking uses them (issue 9): scoped by principal, with the labels the origin tool
  // had when it was read. The flows of step 3 were never written by a detector.
  `DROP TABLE flows;
   CREATE TABLE flows (
     fingerprint TEXT NOT NULL,
     upstream TEXT NOT NULL,
     method TEXT NOT NULL,
     tool TEXT NOT NULL,
     session TEXT NOT NULL,
     principal TEXT NOT NULL,
     labels TEXT NOT NULL,
     time INTEGER NOT NULL,
     PRIMARY KEY (fingerprint, principal, upstream, method, tool, session)
   ) STRICT;
   CREATE INDEX flows_time ON flows (time);`,
  // 6: flows as an append-only log (issue 9, "Fast"): every process answers lookups from an in-memory
  // index it keeps by reading the log from its last `seq`, so the file needs no index by fingerprint —
  // a write appends rows at the end of the table instead of touching one random page per fingerprint
  // in two B-trees (about 400 ms for a 64 KB result on a table of 1 million rows). The origin is its JSON.
  `DROP TABLE flows;
   CREATE TABLE flows (
     seq INTEGER PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     origin TEXT NOT NULL,
     time INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX flows_time ON flows (time);`,
  // 7: a finding's reason and principal (issue 17: the console shows why, and whose request it was).
  `ALTER TABLE findings ADD COLUMN reason TEXT;
   ALTER TABLE findings ADD COLUMN principal TEXT;`,
  // 8: the LLM judge's verdict cache (issue 15): keyed by a digest of model, surface and text — never
  // the text — with the verdict's fields; `time` is when it was written, the time-to-live counts from it.
  `CREATE TABLE verdicts (
     key TEXT PRIMARY KEY,
     label TEXT NOT NULL,
     score REAL NOT NULL,
     category TEXT,
     reason TEXT,
     time INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX verdicts_time ON verdicts (time);`,
  // 9: the flow log in numbers (issue 9, "Fast"): a row holds the fingerprint's 64-bit key as two 32-bit
  // integers (what the in-memory index keys by, fingerprint-table.ts) and its origin's id, the origin's JSON
  // once in `flow_origins` (with its last write, so unused origins expire with the ttl; AUTOINCREMENT so an
  // id is never reused while a process still knows it). A 64 KB result's rows shrink from ~130 to ~30 bytes
  // each, and a million load without a string per row. The log of step 6 (at most a ttl of reads) is dropped.
  `DROP TABLE flows;
   CREATE TABLE flow_origins (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     origin TEXT NOT NULL UNIQUE,
     last INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX flow_origins_last ON flow_origins (last);
   CREATE TABLE flows (
     seq INTEGER PRIMARY KEY,
     hi INTEGER NOT NULL,
     lo INTEGER NOT NULL,
     origin INTEGER NOT NULL,
     time INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX flows_time ON flows (time);`,
];

export interface OpenDatabaseOptions {
  /** Milliseconds to wait for a lock held by another connection; default 5000. */
  busyTimeoutMs?: number;
  /** Default `MIGRATIONS`; injectable so the migration runner itself can be tested. */
  migrations?: readonly string[];
  /**
   * Open an existing file for reading only (`watchdog status`): no folder or file is created, nothing is
   * migrated and no pragma is written; a file of a newer schema is still refused. Default false.
   */
  readonly?: boolean;
}

function schemaVersion(db: SqliteDatabase, location: string, migrations: readonly string[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`${location}: database schema version ${current} is newer than this mcp-watchdog supports (${migrations.length})`);
  }
  return current;
}

/**
 * Applies the pending steps, each in its own `BEGIN IMMEDIATE` transaction that re-reads
 * `user_version` under the write lock (issue 7, item 8): two gateways opening one fresh file both
 * read version 0 outside a transaction, so the second must learn inside its lock that the first has
 * already applied the step. The first read, outside any lock, only spares an up-to-date file a write lock.
 */
function migrate(db: SqliteDatabase, location: string, migrations: readonly string[]): void {
  if (schemaVersion(db, location, migrations) === migrations.length) return;
  const applyNext = db.transaction((): boolean => {
    const current = schemaVersion(db, location, migrations);
    const step = migrations[current];
    if (step === undefined) return false;
    db.exec(step);
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (applyNext.immediate()) {
    // one step per transaction, so a failing step rolls back only itself
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * `journal_mode = WAL` on a fresh file needs an exclusive lock and answers SQLITE_BUSY at once,
 * without the busy handler, while another process is opening the same file (issue 7, item 8): retried
 * with short sleeps for up to the busy timeout.
 */
function enableWal(db: SqliteDatabase, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 20);
    }
  }
}

/** Owner-only modes for the file and its companions; created so, and narrowed if an older file was wider. */
function makePrivate(location: string): void {
  mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
  closeSync(openSync(location, 'a', 0o600));
  for (const file of [location, `${location}-wal`, `${location}-shm`, `${location}-journal`]) {
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
    } catch {
      // Not ours to change (another owner, a filesystem without modes): SQLite decides whether it opens.
    }
  }
}

/** Opens (creating the folder and file if needed) and migrates; the caller owns and closes the handle. */
export function openDatabase(location: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  if (options.readonly) return openForReading(location, options);
  if (location !== ':memory:') makePrivate(location);
  const db = new Database(location);
  try {
    const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    enableWal(db, busyTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('secure_delete = ON');
    migrate(db, location, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openForReading(location: string, options: OpenDatabaseOptions): SqliteDatabase {
  const db = new Database(location, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    schemaVersion(db, location, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
