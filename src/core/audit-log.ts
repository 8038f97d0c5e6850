/**
 * The audit log as read: stored findings, the query filters and pages, and the summaries, shared by the
 * store (which answers them) and the admin API and CLI (which ask): ground types, so none of those
 * layers imports another to name a finding. What is recorded, `FindingRecord`, is in findings.ts.
 */
import type { FindingRecord, Severity } from './findings.js';

/** A finding as stored: no `match`, its salted hash and masked excerpt instead. */
export interface StoredFinding extends Omit<FindingRecord, 'match'> {
  matchHash: string;
  excerpt: string;
}

export interface FindingsQuery {
  /** Epoch ms, inclusive; default: all. */
  since?: number;
  /** Default 100, at most 10000. */
  limit?: number;
  /** Rule id, detector id (all its rules) or glob such as `secrets/*`. */
  rule?: string;
  upstream?: string;
  /** This severity or worse. */
  severity?: Severity;
  /** From a previous page's `nextCursor`: only older rows. */
  cursor?: string;
}

export interface FindingsPage {
  findings: StoredFinding[];
  /** Present when older rows may follow. */
  nextCursor?: string;
}

export interface FindingCounts {
  total: number;
  bySeverity: Record<string, number>;
  byAction: Record<string, number>;
  byUpstream: Record<string, number>;
}

/** How many findings of one rule at one severity. */
export interface RuleCount {
  rule: string;
  severity: Severity;
  count: number;
}
