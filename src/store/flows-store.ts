/**
 * SQLite `FlowStore` (tables `flows` and `flow_origins`, migration 9): an append-only log of
 * (fingerprint key, origin id, time) rows shared by every process on the file, and in each process an
 * in-memory index of it (flow-index.ts, same bounds) that answers `lookup` and `size` (issue 9, "Fast":
 * checking a 4 KB argument against a million fingerprints within 0.2 ms).
 * - The log holds each fingerprint's 64-bit key (fingerprint-table.ts), the index's own key, so a
 *   million rows load as numbers; an origin's JSON is written once, in `flow_origins`.
 * - `rememberLater` (a delivered result) queues the text; its fingerprints are made and remembered on
 *   the next turn, or before the next `lookup`, `size` or `flush` if that comes first.
 * - `remember` updates the index at once (this process sees the read immediately) and queues the keys;
 *   the queue is written in one transaction on the next turn of the event loop (`flush`), so a 64 KB
 *   result never waits for the disk; with the connection's `TickCommit`, inside the tick's transaction
 *   just before it commits (one commit per tick for every store, issue 14). The write only appends: no index by fingerprint, so it costs a few
 *   pages instead of one random page per fingerprint.
 * - Before answering, the index reads the rows other processes appended since its last `seq` (one
 *   indexed range read, empty when nothing was written), so a value read through one gateway is traced
 *   when it is sent through another. On open it loads the live log.
 * - Bounded by `BoundedTable` on the log (default 200000 rows, 24 hours) and by the index on pairs;
 *   a pair remembered again is a new row, and the index keeps the latest. Origins not written within the
 *   ttl are deleted with each write (their rows have expired).
 * The salt lives in `meta` (`flow_salt`), created by the first process to open the file. Borrows the
 * database handle; `close()` writes what is queued (call it before closing the handle).
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { PendingRemembers, systemClock, type FlowHit, type FlowLookup, type FlowOrigin, type FlowStore } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import { FlowIndex } from './flow-index.js';
import type { SqliteDatabase } from './open-database.js';
import { retention, type RetentionOptions } from './retention.js';
import type { TickCommit } from './tick-commit.js';
import { FLOW_DEFAULTS, flowOrigin } from './flow-pairs.js';

export { FLOW_DEFAULTS, flowOrigin, lookupLimit } from './flow-pairs.js';

/** seq, key lanes, origin id, time: read raw (arrays), a million of them on open. */
type Row = [number, number, number, number, number];

function saltOf(db: SqliteDatabase): Uint8Array {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('flow_salt', ?)").run(randomBytes(32));
  const row = db.prepare("SELECT value FROM meta WHERE key = 'flow_salt'").get() as { value: Buffer };
  return new Uint8Array(row.value);
}

/** Rows per INSERT statement when the queue is written (4 parameters a row). */
const ROWS_PER_INSERT = 64;

interface Queued {
  origin: string;
  /** Key lanes at 2k, 2k + 1. */
  keys: Int32Array;
  at: number;
}

interface Statements {
  since: Statement;
  dataVersion: Statement;
  origin: Statement;
  originJson: Statement;
  expireOrigins: Statement;
}

function statements(db: SqliteDatabase): Statements {
  return {
    since: db.prepare('SELECT seq, hi, lo, origin, time FROM flows WHERE seq > ? ORDER BY seq').raw(),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    origin: db.prepare('INSERT INTO flow_origins (origin, last) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET last = max(last, excluded.last) RETURNING id').pluck(),
    originJson: db.prepare('SELECT origin FROM flow_origins WHERE id = ?').pluck(),
    expireOrigins: db.prepare('DELETE FROM flow_origins WHERE last < ?'),
  };
}

export class SqliteFlowStore implements FlowStore {
  readonly salt: Uint8Array;
  readonly #db: SqliteDatabase;
  readonly #table: BoundedTable;
  readonly #index: FlowIndex;
  readonly #sql: Statements;
  readonly #write: Database.Transaction<(queue: readonly Queued[]) => void>;
  /** JSON of the origins met in the log, by id (ids are never reused). */
  readonly #origins = new Map<number, string>();
  /** Reads whose fingerprinting waits for the next turn (`rememberLater`); drained before each lookup. */
  readonly #pending = new PendingRemembers((origin, fingerprints, at) => this.remember(origin, fingerprints, at));
  #seq = 0;
  /** `PRAGMA data_version` when the log was last read: unchanged, no other connection has committed since. */
  #version: number | undefined;
  #queue: Queued[] = [];
  #scheduled: NodeJS.Immediate | true | undefined;
  #closed = false;
  readonly #tick: TickCommit | undefined;
  /** Multi-row inserts by row count (1 to `ROWS_PER_INSERT`), prepared on first use. */
  readonly #inserts = new Map<number, Statement>();

  /** `tick`: the connection's shared group commit; default none (the queue is written on its own). */
  constructor(db: SqliteDatabase, options: RetentionOptions = {}, tick?: TickCommit) {
    this.#db = db;
    this.#tick = tick;
    this.salt = saltOf(db);
    const bounds = retention(options, FLOW_DEFAULTS, systemClock);
    this.#table = new BoundedTable(db, 'flows', 'time', bounds, { appendOnly: true });
    this.#sql = statements(db);
    this.#table.prune();
    const rows = db.prepare('SELECT max(seq) - min(seq) + 1 FROM flows').pluck().get() as number | null;
    this.#index = new FlowIndex(bounds, rows ?? 0);
    this.#write = db.transaction((queue: readonly Queued[]) => this.#writeQueue(queue));
    this.#catchUp();
  }

  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void {
    if (fingerprints.length === 0) return;
    const o = flowOrigin(origin);
    const json = JSON.stringify(o);
    this.#queue.push({ origin: json, keys: this.#index.rememberAll(json, fingerprints, at, o), at });
    if (this.#scheduled !== undefined || this.#closed) return;
    if (this.#tick) {
      this.#scheduled = true;
      this.#tick.beforeCommit(() => this.#flushLater());
    } else this.#scheduled = setImmediate(() => this.#flushLater());
  }

  rememberLater(origin: FlowOrigin, produce: () => readonly string[], at: number, bytes: number): void {
    this.#pending.add(origin, produce, at, bytes);
  }

  lookup(fingerprints: readonly string[], options: FlowLookup = {}): FlowHit[] {
    if (fingerprints.length === 0) return [];
    this.#pending.drain();
    this.#catchUp();
    return this.#index.lookup(fingerprints, options);
  }

  size(): number {
    this.#pending.drain();
    this.#catchUp();
    return this.#index.size();
  }

  /** Writes the queued rows now, in one transaction. */
  flush(): void {
    this.#pending.drain();
    if (this.#scheduled !== undefined && this.#scheduled !== true) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#queue.length === 0 || !this.#db.open) return;
    const queue = this.#queue;
    this.#queue = [];
    const rows = queue.reduce((n, q) => n + q.keys.length / 2, 0);
    try {
      this.#write.immediate(queue);
    } catch (err) {
      // Rolled back (or never begun): the rows go back to the front of the queue.
      this.#queue = [...queue, ...this.#queue];
      throw err;
    }
    this.#table.wrote(rows);
  }

  /**
   * The scheduled write. A failure (the file locked past the busy timeout, the handle closed) must not
   * throw out of the event loop: the rows stay queued for the next write, and this process still holds them.
   */
  #flushLater(): void {
    try {
      this.flush();
    } catch {
      // kept in the queue (see flush); written with the next read remembered
    }
  }

  prune(): number {
    this.flush();
    return this.#table.prune();
  }

  /** Writes what is queued; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#pending.close();
    this.#closed = true;
    this.flush();
  }

  /**
   * Inside the write lock: first what others appended (so `#seq` skips only our own rows), then ours;
   * then the origins whose last write has expired.
   */
  #writeQueue(queue: readonly Queued[]): void {
    this.#catchUp(true);
    let last = this.#seq;
    for (const q of queue) {
      const id = this.#sql.origin.get(q.origin, q.at) as number;
      this.#origins.set(id, q.origin);
      last = this.#insertRows(q.keys, id, q.at) ?? last;
    }
    this.#seq = last;
    this.#sql.expireOrigins.run(this.#table.cutoff());
  }

  /**
   * Appends one read's rows, up to `ROWS_PER_INSERT` per statement (issue 14: one statement per
   * fingerprint was most of the flow write's CPU); returns the last row's seq, none for no rows.
   */
  #insertRows(keys: Int32Array, origin: number, at: number): number | undefined {
    let last: number | undefined;
    for (let k = 0; k < keys.length; k += 2 * ROWS_PER_INSERT) {
      const rows = Math.min(ROWS_PER_INSERT, (keys.length - k) / 2);
      const params: number[] = [];
      for (let r = 0; r < rows; r++) params.push(keys[k + 2 * r] as number, keys[k + 2 * r + 1] as number, origin, at);
      last = Number(this.#insertOf(rows).run(params).lastInsertRowid);
    }
    return last;
  }

  #insertOf(rows: number): Statement {
    let statement = this.#inserts.get(rows);
    if (!statement) {
      statement = this.#db.prepare(`INSERT INTO flows (hi, lo, origin, time) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ')}`);
      this.#inserts.set(rows, statement);
    }
    return statement;
  }

  /** Applies the rows appended since `#seq` (by any process) to the index; skipped when nobody else committed. */
  #catchUp(always = false): void {
    // This connection's own writes are in the index already; only another connection's commit (another
    // process) can have appended rows. Asking costs a fraction of the range read. `always`: inside the
    // write lock, where `#seq` is about to skip past our own rows.
    const version = this.#sql.dataVersion.get() as number;
    if (version === this.#version && !always) return;
    this.#version = version;
    const cutoff = this.#table.cutoff();
    for (const [seq, hi, lo, id, at] of this.#sql.since.iterate(this.#seq) as IterableIterator<Row>) {
      this.#seq = seq;
      if (at < cutoff) continue;
      const json = this.#originJson(id);
      if (json !== undefined) this.#index.rememberKey(json, hi, lo, at, cutoff);
    }
  }

  /** An origin's JSON by id; undefined once expired (its rows have too). */
  #originJson(id: number): string | undefined {
    let json = this.#origins.get(id);
    if (json === undefined) {
      json = this.#sql.originJson.get(id) as string | undefined;
      if (json !== undefined) this.#origins.set(id, json);
    }
    return json;
  }
}
