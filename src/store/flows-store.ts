/**
 * SQLite `FlowStore` (table `flows`, migration 6): an append-only log of (fingerprint, origin, time)
 * rows shared by every process on the file, and in each process an in-memory index of it (flow-index.ts,
 * same bounds) that answers `lookup` and `size` (issue 9, "Fast": checking a 4 KB argument against a
 * million fingerprints within 0.2 ms).
 * - `remember` updates the index at once (this process sees the read immediately) and queues the rows;
 *   the queue is written in one transaction on the next turn of the event loop (`flush`), so a 64 KB
 *   result never waits for the disk. The write only appends: no index by fingerprint, so it costs a few
 *   pages instead of one random page per fingerprint.
 * - Before answering, the index reads the rows other processes appended since its last `seq` (one
 *   indexed range read, empty when nothing was written), so a value read through one gateway is traced
 *   when it is sent through another. On open it loads the live log.
 * - Bounded by `BoundedTable` on the log (default 200000 rows, 24 hours) and by the index on pairs;
 *   a pair remembered again is a new row, and the index keeps the latest.
 * The salt lives in `meta` (`flow_salt`), created by the first process to open the file. Borrows the
 * database handle; `close()` writes what is queued (call it before closing the handle).
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { systemClock, type FlowHit, type FlowLookup, type FlowOrigin, type FlowStore } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import { FlowIndex } from './flow-index.js';
import type { SqliteDatabase } from './open-database.js';
import { retention, type RetentionOptions } from './retention.js';
import { FLOW_DEFAULTS, flowOrigin } from './flow-pairs.js';

export { FLOW_DEFAULTS, flowOrigin, lookupLimit } from './flow-pairs.js';

/** seq, fingerprint, origin (JSON), time: read raw (arrays), a million of them on open. */
type Row = [number, string, string, number];

function saltOf(db: SqliteDatabase): Uint8Array {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('flow_salt', ?)").run(randomBytes(32));
  const row = db.prepare("SELECT value FROM meta WHERE key = 'flow_salt'").get() as { value: Buffer };
  return new Uint8Array(row.value);
}

interface Queued {
  origin: string;
  fingerprints: readonly string[];
  at: number;
}

export class SqliteFlowStore implements FlowStore {
  readonly salt: Uint8Array;
  readonly #db: SqliteDatabase;
  readonly #table: BoundedTable;
  readonly #index: FlowIndex;
  readonly #since: Statement;
  readonly #insert: Statement;
  readonly #write: Database.Transaction<(queue: readonly Queued[]) => void>;
  #seq = 0;
  #queue: Queued[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #closed = false;

  constructor(db: SqliteDatabase, options: RetentionOptions = {}) {
    this.#db = db;
    this.salt = saltOf(db);
    const bounds = retention(options, FLOW_DEFAULTS, systemClock);
    this.#table = new BoundedTable(db, 'flows', 'time', bounds, { appendOnly: true });
    this.#index = new FlowIndex(bounds);
    this.#since = db.prepare('SELECT seq, fingerprint, origin, time FROM flows WHERE seq > ? ORDER BY seq').raw();
    this.#insert = db.prepare('INSERT INTO flows (fingerprint, origin, time) VALUES (?, ?, ?)');
    this.#write = db.transaction((queue: readonly Queued[]) => this.#writeQueue(queue));
    this.#table.prune();
    this.#catchUp();
  }

  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void {
    if (fingerprints.length === 0) return;
    const o = flowOrigin(origin);
    const json = JSON.stringify(o);
    const unique = this.#index.rememberAll(json, fingerprints, at, o);
    this.#queue.push({ origin: json, fingerprints: unique, at });
    if (this.#scheduled === undefined && !this.#closed) this.#scheduled = setImmediate(() => this.#flushLater());
  }

  lookup(fingerprints: readonly string[], options: FlowLookup = {}): FlowHit[] {
    if (fingerprints.length === 0) return [];
    this.#catchUp();
    return this.#index.lookup(fingerprints, options);
  }

  size(): number {
    this.#catchUp();
    return this.#index.size();
  }

  /** Writes the queued rows now, in one transaction. */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#queue.length === 0 || !this.#db.open) return;
    const queue = this.#queue;
    this.#queue = [];
    const rows = queue.reduce((n, q) => n + q.fingerprints.length, 0);
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
    this.#closed = true;
    this.flush();
  }

  /** Inside the write lock: first what others appended (so `#seq` skips only our own rows), then ours. */
  #writeQueue(queue: readonly Queued[]): void {
    this.#catchUp();
    let last = this.#seq;
    for (const q of queue) for (const fp of q.fingerprints) last = Number(this.#insert.run(fp, q.origin, q.at).lastInsertRowid);
    this.#seq = last;
  }

  /**
   * Applies the rows appended since `#seq` (by any process) to the index, a run of rows of one origin
   * and time (one `remember`) at a time.
   */
  #catchUp(): void {
    const cutoff = this.#table.cutoff();
    let run: string[] = [];
    let origin = '';
    let time = 0;
    for (const [seq, fingerprint, json, at] of this.#since.iterate(this.#seq) as IterableIterator<Row>) {
      this.#seq = seq;
      if (at < cutoff) continue;
      if (json !== origin || at !== time) {
        if (run.length > 0) this.#index.rememberAll(origin, run, time);
        [run, origin, time] = [[], json, at];
      }
      run.push(fingerprint);
    }
    if (run.length > 0) this.#index.rememberAll(origin, run, time);
  }
}
