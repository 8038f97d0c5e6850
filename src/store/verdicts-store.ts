/**
 * SQLite `VerdictStore` (table `verdicts`, migration 8): the LLM judge's verdicts, so a restarted
 * gateway does not pay for the same judgement twice (issue 15). A row is the key (a digest: the text
 * never reaches the file), the verdict's fields and the time it was written; a verdict reads as absent
 * once `time + ttlMs` has passed, so a shorter `cacheTtlSeconds` applies to verdicts already stored at
 * the next start. Bounded by `BoundedTable` (default 10000 verdicts, a day). The reason is the judge's
 * own sentence; the configured secrets are redacted from it before it is stored, as a finding's are.
 * Borrows the database handle. Per gateway: with a redis:// store each replica keeps its own cache here.
 */
import type { Statement } from 'better-sqlite3';
import { keptVerdict, systemClock, type ClassifierResult, type VerdictStore } from '../core/index.js';
import { BoundedTable } from './bounded-table.js';
import type { SqliteDatabase } from './open-database.js';
import { DAY_MS, retention, type RetentionOptions } from './retention.js';

export const VERDICT_DEFAULTS = { maxEntries: 10_000, ttlMs: DAY_MS };

export interface VerdictStoreOptions extends RetentionOptions {
  /** Applied to a verdict's reason before it is stored (the configured secrets); default: none. */
  redact?: (text: string) => string;
}

interface Row {
  label: ClassifierResult['label'];
  score: number;
  category: string | null;
  reason: string | null;
}

export class SqliteVerdictStore implements VerdictStore {
  readonly #table: BoundedTable;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #redact: (text: string) => string;

  constructor(db: SqliteDatabase, options: VerdictStoreOptions = {}) {
    this.#table = new BoundedTable(db, 'verdicts', 'time', retention(options, VERDICT_DEFAULTS, systemClock));
    this.#get = db.prepare('SELECT label, score, category, reason FROM verdicts WHERE key = ? AND time >= ?');
    this.#put = db.prepare('INSERT OR REPLACE INTO verdicts (key, label, score, category, reason, time) VALUES (@key, @label, @score, @category, @reason, @time)');
    this.#redact = options.redact ?? ((text) => text);
    this.#table.prune();
  }

  get(key: string): ClassifierResult | undefined {
    const row = this.#get.get(key, this.#table.cutoff()) as Row | undefined;
    if (!row) return undefined;
    return keptVerdict({ label: row.label, score: row.score, ...(row.category === null ? {} : { category: row.category }), ...(row.reason === null ? {} : { reason: row.reason }) });
  }

  put(key: string, verdict: ClassifierResult, at: number): void {
    const kept = keptVerdict(verdict);
    const reason = kept.reason === undefined ? null : this.#redact(kept.reason);
    this.#put.run({ key, label: kept.label, score: kept.score, category: kept.category ?? null, reason, time: at });
    this.#table.wrote();
  }

  size(): number {
    return this.#table.size();
  }

  prune(): number {
    return this.#table.prune();
  }
}
