/**
 * The audit log's vocabulary, shared by the gateway (which records findings), the store (which keeps
 * them) and the admin API and CLI (which read them): ground types, so none of those layers imports
 * another to name a finding (architecture review: "`FindingRecord` (in store) → `core/`").
 */
import type { Action, Direction, Severity } from './findings.js';

/** What the gateway hands over: a finding plus where it was seen. `match` is hashed and masked by the store. */
export interface FindingRecord {
  id: string;
  /** Epoch milliseconds. */
  time: number;
  upstream: string;
  session?: string;
  direction: Direction;
  method: string;
  tool?: string;
  rule: string;
  severity: Severity;
  action: Action;
  /** Field path inside the payload. */
  path: string;
  match: string;
}

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
