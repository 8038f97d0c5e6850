/**
 * The gateway's inspector: runs the detection pipeline on a message and records every finding in the
 * audit log (SQLite `findings`) and the pino log under the same finding id. The matched text goes only
 * to the store, which keeps a salted hash and a masked excerpt; the log line never carries it.
 */
import type { Logger } from 'pino';
import type { Envelope, Finding, FindingRecord, Verdict } from '../core/index.js';
import type { Inspector } from './inspector.js';

export interface FindingsSink {
  record(rows: readonly FindingRecord[]): number;
}

export interface AuditedInspectorOptions {
  pipeline: { inspect(envelope: Envelope): Promise<Verdict> };
  findings?: FindingsSink;
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
  };
}
