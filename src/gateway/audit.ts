/**
 * The gateway's inspector: runs the detection pipeline on a message and records every finding in the
 * audit log (SQLite `findings`) and the pino log under the same finding id. The matched text goes only
 * to the store, which keeps a salted hash and a masked excerpt; the log line never carries it.
 */
import type { Logger } from 'pino';
import { type Envelope, type Finding, type FindingRecord, type Metrics, newFindingId, type Verdict } from '../core/index.js';
import type { Inspector } from './inspector.js';

export interface FindingsSink {
  record(rows: readonly FindingRecord[]): number;
}

export interface AuditedInspectorOptions {
  pipeline: { inspect(envelope: Envelope): Promise<Verdict> };
  findings?: FindingsSink;
  /** Counts `findings` {rule, severity, action}. */
  metrics?: Metrics;
  log: Logger;
  now?: () => number;
}

export function createAuditedInspector(options: AuditedInspectorOptions): Inspector {
  const now = options.now ?? Date.now;
  return {
    async inspect(envelope) {
      const verdict = await options.pipeline.inspect(envelope);
      if (verdict.findings.length > 0) record(options, envelope, verdict, now());
      return verdict;
    },
  };
}

function record(options: AuditedInspectorOptions, envelope: Envelope, verdict: Verdict, time: number): void {
  const rows = verdict.findings.map((f) => toRecord(envelope, f, time));
  try {
    options.findings?.record(rows);
  } catch (err) {
    options.log.error({ err: String(err) }, 'could not record findings');
  }
  for (const f of verdict.findings) {
    options.metrics?.count('findings', { rule: f.rule, severity: f.severity, action: f.action ?? 'alert' });
    options.log.warn(
      { finding: f.id, rule: f.rule, severity: f.severity, action: f.action, path: f.path, upstream: envelope.upstream, session: envelope.session, principal: envelope.principal, method: envelope.method, direction: envelope.direction, tool: envelope.tool },
      `finding: ${f.reason}`,
    );
  }
}

function toRecord(envelope: Envelope, f: Finding, time: number): FindingRecord {
  return {
    id: f.id,
    time,
    upstream: envelope.upstream,
    session: envelope.session,
    direction: envelope.direction,
    method: envelope.method,
    tool: envelope.tool,
    rule: f.rule,
    severity: f.severity,
    action: f.action ?? 'alert',
    path: f.path,
    match: f.match,
    reason: f.reason,
    ...(envelope.principal === undefined ? {} : { principal: envelope.principal }),
  };
}

export type AuditOptions = Omit<AuditedInspectorOptions, 'pipeline'>;

/** What a guard outside the pipeline reports (rate guards, the config watch); the id and time are added. */
export type GuardFinding = Omit<FindingRecord, 'id' | 'time'> & { reason: string; principal?: string };

/**
 * Records a finding raised outside the pipeline exactly as the pipeline's are recorded (audit log,
 * `findings` metric, one warn line with the id); returns its id.
 */
export function reportFinding(options: AuditOptions, finding: GuardFinding): string {
  const { reason, principal } = finding;
  const row: FindingRecord = { ...finding, id: newFindingId(), time: (options.now ?? Date.now)() };
  try {
    options.findings?.record([row]);
  } catch (err) {
    options.log.error({ err: String(err) }, 'could not record findings');
  }
  options.metrics?.count('findings', { rule: row.rule, severity: row.severity, action: row.action });
  options.log.warn(
    { finding: row.id, rule: row.rule, severity: row.severity, action: row.action, path: row.path, upstream: row.upstream, session: row.session, principal, method: row.method, direction: row.direction, tool: row.tool },
    `finding: ${reason}`,
  );
  return row.id;
}
