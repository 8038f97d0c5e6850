/**
 * The audit log of findings (issue 4, "Audit log"). One row per finding with where and how it was
 * seen and what was done; the matched text itself is never stored — only a salted SHA-256 (the salt is
 * 32 random bytes created once per database in `meta`, so equal secrets hash equally across restarts
 * but the hashes cannot be checked against a guess on another machine) and a masked excerpt.
 * Retention is bounded by row count and age; it is enforced on open and after every `pruneEvery`
 * inserted rows, so the table never holds more than `maxRows + pruneEvery - 1` rows after a `record()`.
 * The store borrows the database handle; whoever opened it closes it.
 */
import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Action, Direction, FindingRecord, Severity } from '../core/index.js';
import { hashMatch, maskExcerpt } from './mask-excerpt.js';
import type { SqliteDatabase } from './open-database.js';

export type { FindingRecord };

/** What comes back: no `match`, its hash and masked excerpt instead. */
export interface StoredFinding extends Omit<FindingRecord, 'match'> {
  matchHash: string;
  excerpt: string;
}

export interface FindingsQuery {
  /** Epoch ms, inclusive; default: all. */
  since?: number;
  /** Default 100, at most 10000. */
  limit?: number;
  rule?: string;
  upstream?: string;
}

export interface FindingCounts {
  total: number;
  bySeverity: Record<string, number>;
  byAction: Record<string, number>;
  byUpstream: Record<string, number>;
}

export interface FindingsStoreOptions {
  /** Newest rows kept; default 100000. */
  maxRows?: number;
  /** Rows older than this are deleted; default 30. */
  maxAgeDays?: number;
  /** Retention runs after this many inserted rows; default 1000. */
  pruneEvery?: number;
  /** Default `Date.now`. */
  now?: () => number;
  /**
   * Read without side effects (`watchdog status` on a read-only handle): no salt is created, nothing is
   * pruned on open, and `record`/`prune` throw. Default false.
   */
  readOnly?: boolean;
}

interface Row {
  id: string; time: number; upstream: string; session: string | null; direction: string; method: string; tool: string | null;
  rule: string; severity: string; action: string; field_path: string; match_hash: string; excerpt: string;
}

const DAY_MS = 86_400_000;

function loadSalt(db: SqliteDatabase): Buffer {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('finding_salt', ?)").run(randomBytes(32));
  const row = db.prepare("SELECT value FROM meta WHERE key = 'finding_salt'").get() as { value: Buffer };
  return row.value;
}

function toStored(row: Row): StoredFinding {
  return {
    id: row.id, time: row.time, upstream: row.upstream, ...(row.session === null ? {} : { session: row.session }),
    direction: row.direction as Direction, method: row.method, ...(row.tool === null ? {} : { tool: row.tool }),
    rule: row.rule, severity: row.severity as Severity, action: row.action as Action, path: row.field_path,
    matchHash: row.match_hash, excerpt: row.excerpt,
  };
}

function countBy(statement: Statement): Record<string, number> {
  // fromEntries defines own properties, so a stored name such as `__proto__` is counted like any other.
  return Object.fromEntries((statement.all() as Array<{ key: string; n: number }>).map(({ key, n }) => [key, n]));
}

export class FindingsStore {
  readonly #salt: Buffer;
  readonly #maxRows: number;
  readonly #maxAgeMs: number;
  readonly #pruneEvery: number;
  readonly #now: () => number;
  readonly #insert: Statement;
  readonly #pruneAge: Statement;
  readonly #pruneRows: Statement;
  readonly #query: Statement;
  readonly #counts: { total: Statement; severity: Statement; action: Statement; upstream: Statement };
  readonly #recordBatch: (rows: readonly FindingRecord[]) => number;
  #sincePrune = 0;
  #closed = false;
  readonly #readOnly: boolean;

  constructor(db: SqliteDatabase, options: FindingsStoreOptions = {}) {
    this.#maxRows = Math.max(1, options.maxRows ?? 100_000);
    this.#maxAgeMs = (options.maxAgeDays ?? 30) * DAY_MS;
    this.#pruneEvery = Math.max(1, options.pruneEvery ?? 1000);
    this.#now = options.now ?? Date.now;
    this.#readOnly = options.readOnly ?? false;
    this.#salt = this.#readOnly ? Buffer.alloc(0) : loadSalt(db);
    this.#insert = db.prepare(
      `INSERT INTO findings (id, time, upstream, session, direction, method, tool, rule, severity, action, field_path, match_hash, excerpt)
       VALUES (@id, @time, @upstream, @session, @direction, @method, @tool, @rule, @severity, @action, @path, @matchHash, @excerpt)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#pruneAge = db.prepare('DELETE FROM findings WHERE time < ?');
    this.#pruneRows = db.prepare('DELETE FROM findings WHERE seq <= (SELECT seq FROM findings ORDER BY seq DESC LIMIT 1 OFFSET ?)');
    this.#query = db.prepare(
      `SELECT * FROM findings WHERE time >= @since AND (@rule IS NULL OR rule = @rule) AND (@upstream IS NULL OR upstream = @upstream)
       ORDER BY seq DESC LIMIT @limit`,
    );
    this.#counts = {
      total: db.prepare('SELECT count(*) AS n FROM findings').pluck(),
      severity: db.prepare('SELECT severity AS key, count(*) AS n FROM findings GROUP BY severity'),
      action: db.prepare('SELECT action AS key, count(*) AS n FROM findings GROUP BY action'),
      upstream: db.prepare('SELECT upstream AS key, count(*) AS n FROM findings GROUP BY upstream'),
    };
    this.#recordBatch = db.transaction((rows: readonly FindingRecord[]) => {
      let inserted = 0;
      for (const row of rows) inserted += this.#insert.run(this.#params(row)).changes;
      return inserted;
    });
    if (!this.#readOnly) this.prune();
  }

  #params(row: FindingRecord): Record<string, string | number | null> {
    return {
      id: row.id, time: row.time, upstream: row.upstream, session: row.session ?? null, direction: row.direction,
      method: row.method, tool: row.tool ?? null, rule: row.rule, severity: row.severity, action: row.action,
      path: row.path, matchHash: hashMatch(this.#salt, row.match), excerpt: maskExcerpt(row.match),
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('FindingsStore is closed');
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#readOnly) throw new Error('FindingsStore is read-only');
  }

  /** Stores a batch in one transaction; a finding id already stored is ignored. Returns rows inserted. */
  record(rows: readonly FindingRecord[]): number {
    this.#assertWritable();
    if (rows.length === 0) return 0;
    const inserted = this.#recordBatch(rows);
    this.#sincePrune += inserted;
    if (this.#sincePrune >= this.#pruneEvery) this.prune();
    return inserted;
  }

  /** Applies both retention bounds now; returns rows deleted. */
  prune(): number {
    this.#assertWritable();
    this.#sincePrune = 0;
    const byAge = this.#pruneAge.run(this.#now() - this.#maxAgeMs).changes;
    return byAge + this.#pruneRows.run(this.#maxRows).changes;
  }

  /** Newest first. */
  query(query: FindingsQuery = {}): StoredFinding[] {
    this.#assertOpen();
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 100)), 10_000);
    const rows = this.#query.all({ since: query.since ?? 0, limit, rule: query.rule ?? null, upstream: query.upstream ?? null }) as Row[];
    return rows.map(toStored);
  }

  /** Totals for `watchdog status`. */
  counts(): FindingCounts {
    this.#assertOpen();
    return {
      total: this.#counts.total.get() as number,
      bySeverity: countBy(this.#counts.severity),
      byAction: countBy(this.#counts.action),
      byUpstream: countBy(this.#counts.upstream),
    };
  }

  /** Idempotent; the database handle stays open (its owner closes it). */
  close(): void {
    this.#closed = true;
  }
}
