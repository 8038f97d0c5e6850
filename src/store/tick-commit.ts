/**
 * Group commit to the end of the event-loop tick, shared by the stores on one connection (issue 14).
 * A commit writes the write-ahead log (~0.2 ms of file writes on the benchmark machine against ~0.02 ms
 * for an insert), and one tool call used to commit up to three times: its answer's SSE event, the
 * behaviour baseline it updated, the flow fingerprints it left. Everything a tick writes now commits
 * once, after the answer was written to the socket (the commit runs on `setImmediate`). Since then the
 * events moved to memory and the baselines are written in batches (issue 14), which join the tick too.
 * - `join()` opens the tick's transaction (`BEGIN IMMEDIATE`: the write lock from the start, so a read
 *   inside it never has to upgrade a stale snapshot) unless one is open; a store's own
 *   `db.transaction` inside it becomes a savepoint. The lock is held to the end of the tick only,
 *   as before for the event store alone.
 * - `beforeCommit(write)` runs `write` inside that transaction just before the commit: for writes a
 *   store already defers to the end of the tick (the flow log's queue).
 * - Reads on this connection see the open transaction; other processes see its writes one tick later.
 *   A crash loses at most that tick.
 * - A failed commit is rolled back and reported to `onError` (from the timer) or thrown (`flush`).
 */
import type { SqliteDatabase } from './open-database.js';

export class TickCommit {
  readonly #db: SqliteDatabase;
  readonly #onError: (err: unknown) => void;
  readonly #before: Array<() => void> = [];
  #pending: NodeJS.Immediate | undefined;

  /** `onError`: told when a commit at the end of a tick fails; default: ignored. */
  constructor(db: SqliteDatabase, onError: (err: unknown) => void = () => undefined) {
    this.#db = db;
    this.#onError = onError;
  }

  /** Opens the tick's transaction unless one is open (this group's, or any other code's on this connection). */
  join(): void {
    if (this.#pending !== undefined && this.#db.inTransaction) return;
    if (!this.#db.inTransaction) this.#db.exec('BEGIN IMMEDIATE');
    this.#schedule();
  }

  /** Runs `write` inside the tick's transaction just before it commits. */
  beforeCommit(write: () => void): void {
    this.#before.push(write);
    this.#schedule();
  }

  #schedule(): void {
    this.#pending ??= setImmediate(() => {
      try {
        this.flush();
      } catch (err) {
        this.#onError(err);
      }
    });
  }

  /** Runs the deferred writes and commits now; a failed commit is rolled back and rethrown. */
  flush(): void {
    if (this.#pending === undefined) return;
    clearImmediate(this.#pending);
    this.#pending = undefined;
    if (!this.#db.open) return;
    let failed: { err: unknown } | undefined;
    for (const write of this.#before.splice(0)) {
      try {
        write();
      } catch (err) {
        failed ??= { err };
      }
    }
    if (this.#db.inTransaction) {
      try {
        this.#db.exec('COMMIT');
      } catch (err) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw err;
      }
    }
    if (failed) throw failed.err;
  }
}
