/**
 * `watchdog scan` output (issues 4 and 13): the report of `scanServers` (src/scan-servers.ts, wired by
 * the root) as text, and the exit code.
 * Exit codes: 0 clean, 1 findings at or above --fail-on (default high), 2 error (config, or a server
 * that could not be reached).
 */
import { severityRank, SEVERITIES, type Severity } from '../core/index.js';
import type { ServerReport } from '../scan-servers.js';

export { scanServers } from '../scan-servers.js';
export type { ScanFinding, ServerReport } from '../scan-servers.js';

export function scanExitCode(reports: ServerReport[], failOn: Severity): number {
  if (reports.some((r) => r.error)) return 2;
  return reports.some((r) => r.findings.some((f) => severityRank(f.severity) >= severityRank(failOn))) ? 1 : 0;
}

export function formatScan(reports: ServerReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.error) {
      lines.push(`✗ ${r.upstream}: could not scan (${r.error})`);
      continue;
    }
    const hidden = r.hiddenTools > 0 ? ` (+${r.hiddenTools} hidden by tools.allow/deny)` : '';
    lines.push(`${r.findings.length === 0 ? '✓' : '!'} ${r.upstream}: ${r.tools} tools${hidden}, ${r.prompts} prompts, ${r.findings.length} findings`);
    for (const f of r.findings) lines.push(`    ${f.severity.padEnd(8)} ${f.kind} ${f.exposedAs ?? f.item}  ${f.rule}  ${f.path}: ${f.reason} (${f.action})`);
  }
  return `${lines.join('\n')}\n`;
}

export function parseSeverity(value: string | undefined): Severity | undefined {
  if (value === undefined) return 'high';
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : undefined;
}
