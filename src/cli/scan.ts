/**
 * `watchdog scan [--config F | --client-config F] [--json] [--fail-on SEVERITY]` (issue 4): connects to
 * each upstream once, fetches its tools, prompts, resources, resource templates and instructions, runs the
 * list-phase detectors on each (as the gateway screens its catalog) and prints a report per server.
 * Nothing is recorded.
 * Exit codes: 0 clean, 1 findings at or above --fail-on (default high), 2 error (config, or a server
 * that could not be reached).
 */
import pino from 'pino';
import { severityRank, SEVERITIES, type Finding, type Severity } from '../core/index.js';
import type { Config, UpstreamConfig } from '../config/index.js';
import { detectors } from '../detectors/index.js';
import { createPipeline, type Pipeline } from '../pipeline/index.js';
import { openConnection, ProcessGroups, type CatalogSlice } from '../upstream/index.js';
import { fetchSlice } from '../upstream/catalog-slice.js';

export interface ScanFinding {
  kind: 'tool' | 'prompt' | 'resource' | 'instructions';
  item: string;
  rule: string;
  severity: Severity;
  action: string;
  path: string;
  reason: string;
}

export interface ServerReport {
  upstream: string;
  error?: string;
  tools: number;
  prompts: number;
  findings: ScanFinding[];
}

export async function scanServers(config: Config, timeoutMs = 30_000): Promise<ServerReport[]> {
  const pipeline = createPipeline({ policy: config.policy, detectors });
  const log = pino({ level: 'silent' });
  // The scanned servers die with this process too, even if it is killed (process-groups.ts).
  const groups = new ProcessGroups(log);
  try {
    return await Promise.all(config.upstreams.filter((u) => u.enabled).map((u) => scanOne(u, pipeline, log, timeoutMs, groups)));
  } finally {
    groups.close();
  }
}

async function scanOne(upstream: UpstreamConfig, pipeline: Pipeline, log: pino.Logger, timeoutMs: number, groups: ProcessGroups): Promise<ServerReport> {
  let connection: Awaited<ReturnType<typeof openConnection>> | undefined;
  try {
    connection = await openConnection(upstream, log, { timeoutMs, process: { groups } });
    const slice = await fetchSlice(connection.client, timeoutMs);
    return { upstream: upstream.name, tools: slice.tools.length, prompts: slice.prompts.length, findings: await inspectSlice(upstream.name, slice, pipeline) };
  } catch (err) {
    return { upstream: upstream.name, error: err instanceof Error ? err.message : String(err), tools: 0, prompts: 0, findings: [] };
  } finally {
    await connection?.client.close().catch(() => undefined);
    await connection?.transport.close().catch(() => undefined);
  }
}

async function inspectSlice(upstream: string, slice: CatalogSlice, pipeline: Pipeline): Promise<ScanFinding[]> {
  const out: ScanFinding[] = [];
  const add = (kind: ScanFinding['kind'], item: string, findings: Finding[]) =>
    out.push(...findings.map((f) => ({ kind, item, rule: f.rule, severity: f.severity, action: f.action ?? 'alert', path: f.path, reason: f.reason })));
  for (const tool of slice.tools) {
    const name = String(tool.name ?? '');
    add('tool', name, (await pipeline.inspect({ method: 'tools/list', direction: 'to_client', upstream, tool: name, payload: tool })).findings);
  }
  for (const prompt of slice.prompts) {
    const name = String(prompt.name ?? '');
    add('prompt', name, (await pipeline.inspect({ method: 'prompts/list', direction: 'to_client', upstream, payload: prompt })).findings);
  }
  for (const [method, list] of [['resources/list', slice.resources], ['resources/templates/list', slice.resourceTemplates]] as const) {
    for (const resource of list) add('resource', String(resource.name ?? ''), (await pipeline.inspect({ method, direction: 'to_client', upstream, payload: resource })).findings);
  }
  if (slice.instructions) add('instructions', 'initialize', (await pipeline.inspect({ method: 'initialize', direction: 'to_client', upstream, payload: { instructions: slice.instructions } })).findings);
  return out;
}

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
    lines.push(`${r.findings.length === 0 ? '✓' : '!'} ${r.upstream}: ${r.tools} tools, ${r.prompts} prompts, ${r.findings.length} findings`);
    for (const f of r.findings) lines.push(`    ${f.severity.padEnd(8)} ${f.kind} ${f.item}  ${f.rule}  ${f.path}: ${f.reason} (${f.action})`);
  }
  return `${lines.join('\n')}\n`;
}

export function parseSeverity(value: string | undefined): Severity | undefined {
  if (value === undefined) return 'high';
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : undefined;
}
