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
import type { FindingCounts, FindingRecord, FindingsPage, FindingsQuery, RuleCount, StoredFinding } from '../core/index.js';
import { FindingsReader } from './findings-query.js';
import { hashMatch, maskExcerpt } from './mask-excerpt.js';
import type { SqliteDatabase } from './open-database.js';

export interface FindingsStoreOptions {
  /** Newest rows kept; default 100000. */
  maxRows?: number;
  /** Rows older than this are deleted; default 30. */
  maxAgeDays?: number;
  /** Retention runs after this many inserted rows; default 1000. */
  pruneEvery?: number;
  /** Default `Date.now`. */
  now?: () => number;
  /** Applied to a finding's reason before it is stored (the configured secrets); default: none. */
  redact?: (text: string) => string;
  /**
   * Read without side effects (store-reader.ts, on a read-only handle): no salt is created, nothing is
   * pruned on open, and `record`/`prune` throw. Default false.
   */
  readOnly?: boolean;
}

const DAY_MS = 86_400_000;
const MAX_REASON = 500;

/** A reason as stored: never the matched text (masked wherever it appears), the secrets redacted, bounded. */
export function storedReason(reason: string, match: string, redact: (text: string) => string): string {
  const masked = match.length >= 4 ? reason.split(match).join(maskExcerpt(match)) : reason;
  const text = redact(masked);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

function loadSalt(db: SqliteDatabase): Buffer {
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('finding_salt', ?)").run(randomBytes(32));
  const row = db.prepare("SELECT value FROM meta WHERE key = 'finding_salt'").get() as { value: Buffer };
  return row.value;
}

export class FindingsStore {
  readonly #salt: Buffer;
  readonly #maxRows: number;
  readonly #maxAgeMs: number;
  readonly #pruneEvery: number;
  readonly #now: () => number;
  /** Absent on a read-only handle (which may be a file from before the reason column: nothing is migrated). */
  readonly #insert: Statement | undefined;
  readonly #pruneAge: Statement;
  readonly #pruneRows: Statement;
  readonly #reader: FindingsReader;
  readonly #recordBatch: (rows: readonly FindingRecord[]) => number;
  #sincePrune = 0;
  #closed = false;
  readonly #readOnly: boolean;
  readonly #redact: (text: string) => string;

  constructor(db: SqliteDatabase, options: FindingsStoreOptions = {}) {
    this.#maxRows = Math.max(1, options.maxRows ?? 100_000);
    this.#maxAgeMs = (options.maxAgeDays ?? 30) * DAY_MS;
    this.#pruneEvery = Math.max(1, options.pruneEvery ?? 1000);
    this.#now = options.now ?? Date.now;
    this.#readOnly = options.readOnly ?? false;
    this.#redact = options.redact ?? ((text) => text);
    this.#salt = this.#readOnly ? Buffer.alloc(0) : loadSalt(db);
    this.#insert = this.#readOnly
      ? undefined
      : db.prepare(
          `INSERT INTO findings (id, time, upstream, session, direction, method, tool, rule, severity, action, field_path, match_hash, excerpt, reason, principal)
           VALUES (@id, @time, @upstream, @session, @direction, @method, @tool, @rule, @severity, @action, @path, @matchHash, @excerpt, @reason, @principal)
           ON CONFLICT (id) DO NOTHING`,
        );
    this.#pruneAge = db.prepare('DELETE FROM findings WHERE time < ?');
    this.#pruneRows = db.prepare('DELETE FROM findings WHERE seq <= (SELECT seq FROM findings ORDER BY seq DESC LIMIT 1 OFFSET ?)');
    this.#reader = new FindingsReader(db);
    this.#recordBatch = db.transaction((rows: readonly FindingRecord[]) => {
      let inserted = 0;
      for (const row of rows) inserted += this.#insert?.run(this.#params(row)).changes ?? 0;
      return inserted;
    });
    if (!this.#readOnly) this.prune();
  }

  #params(row: FindingRecord): Record<string, string | number | null> {
    return {
      id: row.id, time: row.time, upstream: row.upstream, session: row.session ?? null, direction: row.direction,
      method: row.method, tool: row.tool ?? null, rule: row.rule, severity: row.severity, action: row.action,
      path: row.path, matchHash: hashMatch(this.#salt, row.match), excerpt: maskExcerpt(row.match),
      reason: row.reason === undefined ? null : storedReason(row.reason, row.match, this.#redact), principal: row.principal ?? null,
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

  /** Newest first (findings-query.ts has the filters). */
  query(query: FindingsQuery = {}): StoredFinding[] {
    return this.page(query).findings;
  }

  /** One page, newest first, with the cursor of the next; throws RangeError for an invalid cursor. */
  page(query: FindingsQuery = {}): FindingsPage {
    this.#assertOpen();
    return this.#reader.page(query);
  }

  /** Counts per rule and severity since `since` (epoch ms). */
  byRule(since = 0): RuleCount[] {
    this.#assertOpen();
    return this.#reader.byRule(since);
  }

  /** Totals by severity, action and upstream. */
  counts(): FindingCounts {
    this.#assertOpen();
    return this.#reader.counts();
  }

  /** Idempotent; the database handle stays open (its owner closes it). */
  close(): void {
    this.#closed = true;
  }
}
