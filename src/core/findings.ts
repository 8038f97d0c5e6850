/**
 * The vocabulary of inspection, shared by the pipeline, detectors, store and gateway.
 * A finding is one thing a detector noticed in one field of one message; a verdict is what the
 * pipeline decided for the whole message (a closed union: pass | redact | block).
 */
import { randomBytes } from 'node:crypto';

/** A new finding id: `f_` + 12 random hex characters (pipeline findings and the gateway's own guards alike). */
export function newFindingId(): string {
  return `f_${randomBytes(6).toString('hex')}`;
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
/** Lowest first; a tuple, so a schema can enumerate it (`z.enum(SEVERITIES)`) without a cast. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Which way a message travels through the gateway. */
export type Direction = 'to_client' | 'to_upstream';

/**
 * What the policy does about a finding: `alert` records it, `strip` excises the content and leaves a
 * visible marker with the finding id (issue 12, content with no legitimate use in model-facing text),
 * `redact` replaces the match with a typed placeholder, `block` stops the message.
 */
export type Action = 'alert' | 'strip' | 'redact' | 'block';
export const ACTIONS: readonly Action[] = ['alert', 'strip', 'redact', 'block'];

export interface Finding {
  /** Unique id (`f_` + 12 hex chars) shown in logs, `error.data` and the findings table. */
  id: string;
  rule: string;
  severity: Severity;
  /** JSON path of the field inside the inspected payload, e.g. `tools[0].inputSchema.properties.note.description`. */
  path: string;
  reason: string;
  /** The matched text. Never logged: the store keeps a salted hash and a masked excerpt only. */
  match: string;
  /** Decided by policy after detection. */
  action?: Action;
}

/** One message crossing the gateway, as the pipeline sees it. */
export interface Envelope {
  method: string;
  direction: Direction;
  upstream: string;
  session?: string;
  /**
   * Whom the request acts for: `token:<digest>` for a gateway bearer token, else `user:<OS user>`.
   * Absent where no client asked (catalog screening, server pushes).
   */
  principal?: string;
  /** Public or upstream tool name when the message concerns one tool. */
  tool?: string;
  /**
   * `error` when `payload` is a JSON-RPC error an upstream answered `method` with, as
   * `{ error: { code, message, data } }` (issue 7, item 4: errors are inspected like results); default: the message itself.
   */
  payloadKind?: 'message' | 'error';
  payload: unknown;
}

/**
 * `pass` forwards the original bytes; `redact` forwards a rewritten copy (strips and redactions both
 * rewrite, so they share the kind; each finding's `action` says which it was); `block` stops the message.
 */
export type Verdict =
  | { kind: 'pass'; findings: Finding[] }
  | { kind: 'redact'; findings: Finding[]; payload: unknown }
  | { kind: 'block'; findings: Finding[]; reason: string; finding: Finding };

/** A finding plus where it was seen: what the audit log records (the store hashes and masks `match`). */
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
  /**
   * The detector's reason (issue 17: the console shows it). Stored with the matched text masked out of
   * it and the configured secrets redacted; at most 500 characters.
   */
  reason?: string;
  /** Whom the request acted for (`token:…`, `user:…`); absent where no client asked. */
  principal?: string;
}
