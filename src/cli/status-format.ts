/**
 * The readable form of `watchdog status`: one block per gateway — a heading, a table of upstreams
 * (state, pid, restarts, tools, last error with the upstream's own stderr reason), then sessions,
 * catalog, renames, withheld items, rate-guard counts, findings and store — and a last line with the verdict.
 */
import type { StatusReport } from '../config/index.js';

type Gateway = StatusReport['gateways'][number];
type Upstream = Gateway['upstreams'][number];

export function formatReport(report: StatusReport): string {
  const out: string[] = [];
  if (report.gateways.length === 0) out.push('no gateway is running on this config');
  for (const g of report.gateways) out.push(...gatewayBlock(g), '');
  for (const p of report.problems) out.push(`note: ${p}`);
  out.push(`state: ${report.state}${summary(report)}`);
  return `${out.join('\n')}\n`;
}

function summary(report: StatusReport): string {
  const upstreams = report.gateways.flatMap((g) => g.upstreams).filter((u) => u.state !== 'disabled');
  if (upstreams.length === 0) return '';
  const ready = upstreams.filter((u) => u.state === 'ready').length;
  return ` (${ready} of ${upstreams.length} upstreams ready)`;
}

function gatewayBlock(g: Gateway): string[] {
  const where = g.source === 'snapshot' ? `${g.mode}, from its snapshot file${g.updatedAt ? ` (updated ${clock(g.updatedAt)})` : ''}` : `${g.mode} ${g.url ?? ''}`.trim();
  const config = g.config.path ? ` · config ${g.config.path}${g.config.hash ? ` (${g.config.hash.slice(0, 8)})` : ''}` : '';
  const lines = [`gateway pid ${g.pid} · ${where} · up ${duration(g.uptimeSeconds)} · mcp-watchdog ${g.version}${config}`];
  if (g.config.lastReload) {
    const r = g.config.lastReload;
    lines.push(`  last reload: ${clock(r.at)} by ${r.trigger}: ${r.ok ? '' : 'REJECTED, '}${r.message}`);
  }
  lines.push(...table(g.upstreams));
  const sessions = g.sessions.reduce((n, s) => n + s.count, 0);
  const bySession = g.sessions.map((s) => `${s.transport} ${s.era} ${s.count}`).join(', ');
  lines.push(`  sessions: ${sessions}${bySession ? ` (${bySession})` : ''} · catalog: ${g.catalog.tools} tools, ${g.catalog.prompts} prompts, ${g.catalog.resources} resources`);
  for (const r of g.renames) lines.push(`  renamed ${r.kind} ${r.upstream}/${r.original} -> ${r.public} (${r.reason})`);
  for (const u of g.upstreams) for (const w of u.withheld) lines.push(`  withheld ${w.kind} ${u.name}/${w.name} (its listing was blocked)`);
  lines.push(...rateGuard(g));
  if (g.pins.awaitingApproval > 0) lines.push(`  pins awaiting approval: ${g.pins.awaitingApproval}`);
  const f = g.findings;
  const severities = Object.entries(f.bySeverity).map(([s, n]) => `${s} ${n}`).join(', ');
  const top = f.byRule.lastHour.slice(0, 3).map((r) => `${r.rule} ×${r.count}`).join(', ');
  lines.push(`  findings: ${f.total} recorded${severities ? ` (${severities})` : ''}, ${f.lastHour} in the last hour${top ? `: ${top}` : ''}`);
  lines.push(`  store: ${g.store.path}, ${bytes(g.store.bytes)}`);
  if (g.replication?.kind === 'redis') lines.push(...sharedState(g.replication));
  return lines;
}

/** The rate guard (issue 11): on or off, totals, then each upstream that had a refusal. */
function rateGuard(g: Gateway): string[] {
  if (!g.rateGuard) return [];
  const { enabled, refused } = g.rateGuard;
  const lines = [`  rate guard: ${enabled ? 'on' : 'off'} · since start ${refused.calls} calls refused, ${refused.notifications} notifications dropped or delayed`];
  for (const u of g.upstreams) {
    const c = u.rateGuard;
    if (!c || c.callsRefused + c.notificationsDropped + c.notificationsDelayed + c.episodesInProgress === 0) continue;
    lines.push(`    ${u.name}: ${c.callsRefused} calls refused, ${c.notificationsDropped} notifications dropped, ${c.notificationsDelayed} delayed, ${c.episodesInProgress} episodes in progress`);
  }
  return lines;
}

/** The shared store (issue 16): how this replica stands, and whether the replicas run the same config. */
function sharedState(r: NonNullable<Gateway['replication']>): string[] {
  const pending = r.pending ? ` · ${r.pending.unsent} unsent, ${r.pending.inFlight} in flight` : '';
  const trip = r.roundTripMs === undefined ? '' : ` · round trip ${r.roundTripMs} ms`;
  const local = r.localRateTakes ? ` · ${r.localRateTakes} rate takes answered locally` : '';
  const lines = [`  shared state: ${r.store} · ${r.state}${pending}${trip}${local}`];
  if (r.lastError && r.state !== 'in-sync') lines.push(`  shared state last error: ${clock(r.lastError.at)} ${r.lastError.message}`);
  const replicas = r.replicas ?? [];
  const digests = replicas.map((p) => `${(p.configHash ?? 'no config file').slice(0, 8)} (${p.self ? 'this one' : `pid ${p.pid} on ${p.host}`})`);
  if (replicas.length > 0) lines.push(`  replicas: ${replicas.length}, config digests ${r.configAgrees ? 'agree' : `DIFFER: ${digests.join(', ')}`}`);
  return lines;
}

function table(upstreams: Upstream[]): string[] {
  if (upstreams.length === 0) return ['  no upstreams configured'];
  const rows = upstreams.map((u) => [u.name, u.transport, u.state, u.pid === undefined ? '-' : String(u.pid), String(u.restarts), String(u.counts.tools), lastError(u)]);
  const head = ['UPSTREAM', 'TRANSPORT', 'STATE', 'PID', 'RESTARTS', 'TOOLS', 'LAST ERROR'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ')}`.trimEnd();
  return [line(head), ...rows.map(line)];
}

/** The error and, when the upstream said why on stderr, its last line. */
function lastError(u: Upstream): string {
  if (!u.lastError || u.state === 'ready') return '';
  const reason = u.lastError.stderr.at(-1);
  return `${clock(u.lastError.at)} ${u.lastError.message}${reason ? ` — stderr: ${reason}` : ''}`;
}

function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(11, 19)}Z`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
