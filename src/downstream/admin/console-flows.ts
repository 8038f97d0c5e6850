/**
 * The console's flows view (issue 17): recent cross-server flows and session risk per principal, both
 * read from the audit log (the flow store keeps salted fingerprints only, so the findings are what can
 * be shown: a `flows/flow` finding's reason names source, destination, kind of value and when it was
 * read — never the value). Risk per principal over the last 24 hours: how many findings of each
 * severity the principal's requests raised, how many were blocked, how many were flows and how many
 * completed the untrusted-read → private-read → sink trifecta; ordered worst first.
 */
import { severityRank, type Severity, type StoredFinding } from '../../core/index.js';
import { esc, raw, table } from './console-layout.js';

interface Risk {
  principal: string;
  worst: Severity;
  total: number;
  blocked: number;
  flows: number;
  trifecta: number;
  last: number;
}

export function riskByPrincipal(findings: readonly StoredFinding[]): Risk[] {
  const risks = new Map<string, Risk>();
  for (const f of findings) {
    if (f.principal === undefined || f.rule.startsWith('pins/')) continue;
    const r = risks.get(f.principal) ?? { principal: f.principal, worst: f.severity, total: 0, blocked: 0, flows: 0, trifecta: 0, last: f.time };
    if (severityRank(f.severity) > severityRank(r.worst)) r.worst = f.severity;
    r.total++;
    if (f.action === 'block') r.blocked++;
    if (f.rule === 'flows/flow') r.flows++;
    if (f.rule === 'flows/trifecta') r.trifecta++;
    r.last = Math.max(r.last, f.time);
    risks.set(f.principal, r);
  }
  return [...risks.values()].sort((a, b) => severityRank(b.worst) - severityRank(a.worst) || b.total - a.total);
}

const when = (time: number) => new Date(time).toISOString().replace('T', ' ').slice(0, 19);
const sev = (s: Severity) => raw(`<span class="sev sev-${esc(s)}">${esc(s)}</span>`);

export function flowsView(recent: readonly StoredFinding[]): string {
  const flows = recent.filter((f) => f.rule.startsWith('flows/')).slice(0, 100);
  const flowRows = flows.map((f) => [when(f.time), sev(f.severity), f.rule, f.action, `${f.upstream}${f.tool ? ` / ${f.tool}` : ''}`, f.principal ?? '—', f.reason ?? '—']);
  const riskRows = riskByPrincipal(recent).map((r) => [r.principal, sev(r.worst), r.total, r.blocked, r.flows, r.trifecta, when(r.last)]);
  return [
    table('Recent cross-server flows, newest first (the reason names source, destination, kind of value and when it was read)', ['Time (UTC)', 'Severity', 'Rule', 'Action', 'Destination', 'Principal', 'Source → destination'], flowRows, { id: 'flows', empty: 'no cross-server flow in the last 24 hours' }),
    table('Session risk by principal, last 24 hours, worst first', ['Principal', 'Worst', 'Findings', 'Blocked', 'Flows', 'Trifecta', 'Last'], riskRows, { id: 'risk', empty: 'no findings with a principal in the last 24 hours' }),
  ].join('\n');
}
