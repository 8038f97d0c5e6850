/**
 * `watchdog status [--config F] [--json]`: what the gateways running on this config are doing — each
 * live process's upstreams (state, pid, restarts, last error), catalog size, renamed and withheld items,
 * sessions — and the findings recorded so far (from the SQLite audit log, opened read-only by the root).
 */
import { storePathOf } from '../config/index.js';
import { readStatus, type FindingsSummary } from '../status-report.js';
import type { ParsedArgs } from './args.js';
import { loadCliConfig } from './load-config.js';

interface UpstreamLine {
  name: string;
  state: string;
  pid?: number;
  restarts: number;
  tools: number;
  lastError?: string;
}

export async function statusCommand(args: ParsedArgs): Promise<number> {
  const loaded = loadCliConfig(args, 'status');
  if (!loaded) return 2;
  const { processes, findings } = readStatus(storePathOf(loaded.config.gateway));
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify({ processes, findings }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(formatStatus(processes, findings));
  return 0;
}

function formatStatus(processes: Array<Record<string, unknown>>, findings: FindingsSummary): string {
  const out: string[] = [];
  if (processes.length === 0) out.push('no gateway is running on this config');
  for (const p of processes) {
    out.push(`gateway pid ${p.pid} (${p.mode}${p.url ? ` ${p.url}` : ''}), up since ${p.startedAt}, ${p.sessions} sessions, ${p.tools} tools`);
    for (const u of (p.upstreams as UpstreamLine[] | undefined) ?? []) {
      out.push(`  ${u.name.padEnd(16)} ${u.state.padEnd(9)} ${String(u.tools).padStart(3)} tools  pid ${u.pid ?? '-'}  restarts ${u.restarts}${u.lastError ? `  last error: ${u.lastError}` : ''}`);
    }
    for (const r of (p.renames as Array<Record<string, string>> | undefined) ?? []) out.push(`  renamed ${r.kind} ${r.upstream}/${r.original} -> ${r.public} (${r.reason})`);
    for (const w of (p.withheld as Array<Record<string, string>> | undefined) ?? []) out.push(`  withheld ${w.kind} ${w.upstream}/${w.name} (poisoned listing)`);
  }
  if (findings.error) out.push(`findings: could not read the store (${findings.error})`);
  if (findings.counts) {
    const c = findings.counts;
    out.push(`findings: ${c.total} recorded; by severity ${JSON.stringify(c.bySeverity)}; by action ${JSON.stringify(c.byAction)}`);
    for (const f of findings.recent) out.push(`  ${new Date(f.time).toISOString()} ${f.id} ${f.severity} ${f.action} ${f.upstream}${f.tool ? `/${f.tool}` : ''} ${f.rule} ${f.path} ${f.excerpt}`);
  }
  return `${out.join('\n')}\n`;
}
