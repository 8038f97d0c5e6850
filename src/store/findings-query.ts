/**
 * Reading the findings audit log: the filters `watchdog findings` and the admin API's `/findings` share
 * (issue 13), and the summaries `/status` shows. Statements are prepared once per database handle; the
 * same reader serves the daemon's read-write handle and the CLI's read-only one, so both answer alike.
 * Filters: `since` (epoch ms), `upstream` (exact), `severity` (that severity or worse), `rule` (a rule
 * id, a detector id — matching all its rules, as policy keys do — or a glob such as `secrets/*`).
 * Pages go newest first; `nextCursor` (an opaque row number) fetches the next, older page.
 */
import type { Statement } from 'better-sqlite3';
import { SEVERITIES, severityRank, type Action, type Direction, type FindingCounts, type FindingsPage, type FindingsQuery, type RuleCount, type Severity, type StoredFinding } from '../core/index.js';
import type { SqliteDatabase } from './open-database.js';

interface Row {
  seq: number; id: string; time: number; upstream: string; session: string | null; direction: string; method: string; tool: string | null;
  rule: string; severity: string; action: string; field_path: string; match_hash: string; excerpt: string;
  reason?: string | null; principal?: string | null;
}

export const MAX_PAGE = 10_000;

function toStored(row: Row): StoredFinding {
  return {
    id: row.id, time: row.time, upstream: row.upstream, ...(row.session === null ? {} : { session: row.session }),
    direction: row.direction as Direction, method: row.method, ...(row.tool === null ? {} : { tool: row.tool }),
    rule: row.rule, severity: row.severity as Severity, action: row.action as Action, path: row.field_path,
    matchHash: row.match_hash, excerpt: row.excerpt,
    // A read-only file from before migration 7 has neither column (undefined, not null).
    ...(typeof row.reason === 'string' ? { reason: row.reason } : {}), ...(typeof row.principal === 'string' ? { principal: row.principal } : {}),
  };
}

function countBy(statement: Statement): Record<string, number> {
  // fromEntries defines own properties, so a stored name such as `__proto__` is counted like any other.
  return Object.fromEntries((statement.all() as Array<{ key: string; n: number }>).map(({ key, n }) => [key, n]));
}

/** Severities at or above `min`, as the JSON list the statement reads with json_each. */
function severitiesFrom(min: Severity | undefined): string {
  return JSON.stringify(min === undefined ? SEVERITIES : SEVERITIES.filter((s) => severityRank(s) >= severityRank(min)));
}

/** A cursor is the row number of the last row of a page; anything else is rejected, not guessed at. */
function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return Number.MAX_SAFE_INTEGER;
  if (!/^\d{1,15}$/.test(cursor)) throw new RangeError(`invalid cursor "${cursor.slice(0, 40)}"`);
  return Number(cursor);
}

export class FindingsReader {
  readonly #page: Statement;
  readonly #byRule: Statement;
  readonly #counts: { total: Statement; severity: Statement; action: Statement; upstream: Statement };

  constructor(db: SqliteDatabase) {
    // GLOB is exact for a plain id; `rule || '/*'` lets a detector id match all of its rules.
    this.#page = db.prepare(
      `SELECT * FROM findings
       WHERE seq < @before AND time >= @since
         AND (@upstream IS NULL OR upstream = @upstream)
         AND (@rule IS NULL OR rule GLOB @rule OR rule GLOB @rule || '/*')
         AND severity IN (SELECT value FROM json_each(@severities))
       ORDER BY seq DESC LIMIT @limit`,
    );
    this.#byRule = db.prepare('SELECT rule, severity, count(*) AS count FROM findings WHERE time >= ? GROUP BY rule, severity ORDER BY count DESC, rule');
    this.#counts = {
      total: db.prepare('SELECT count(*) AS n FROM findings').pluck(),
      severity: db.prepare('SELECT severity AS key, count(*) AS n FROM findings GROUP BY severity'),
      action: db.prepare('SELECT action AS key, count(*) AS n FROM findings GROUP BY action'),
      upstream: db.prepare('SELECT upstream AS key, count(*) AS n FROM findings GROUP BY upstream'),
    };
  }

  /** One page, newest first. Throws RangeError for an invalid cursor. */
  page(query: FindingsQuery = {}): FindingsPage {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 100)), MAX_PAGE);
    const rows = this.#page.all({
      before: parseCursor(query.cursor),
      since: query.since ?? 0,
      upstream: query.upstream ?? null,
      rule: query.rule ?? null,
      severities: severitiesFrom(query.severity),
      limit: limit + 1,
    }) as Row[];
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return { findings: kept.map(toStored), ...(more ? { nextCursor: String(kept.at(-1)?.seq) } : {}) };
  }

  /** Counts per rule and severity since `since` (epoch ms; 0 = all time), most frequent first. */
  byRule(since = 0): RuleCount[] {
    return this.#byRule.all(since) as RuleCount[];
  }

  counts(): FindingCounts {
    return {
      total: this.#counts.total.get() as number,
      bySeverity: countBy(this.#counts.severity),
      byAction: countBy(this.#counts.action),
      byUpstream: countBy(this.#counts.upstream),
    };
  }
}
