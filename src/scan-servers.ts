/**
 * What `watchdog scan` does, wired by the root (issues 4, 8 and 13): connects to each enabled upstream
 * once, fetches its tools, prompts, resources, resource templates and instructions, and runs the
 * list-phase detectors (the gateway's own inspection, `createInspection`, over in-memory state) on what
 * the gateway would expose: the same tool allow/deny filters, and each tool reported under the public
 * name the merged catalog would give it (prefix, separator, fitting and collision suffixes — computed by
 * the gateway's own `buildCatalog`, which is also the detectors' catalog view). Tools a filter hides are
 * counted, not inspected: no client would see them through the gateway. Nothing is recorded.
 */
import pino from 'pino';
import type { Finding, Severity } from './core/index.js';
import type { Config, UpstreamConfig } from './config/index.js';
import { buildCatalog, catalogViewOf, effectivePrefix, globMatcher, type CatalogSource } from './gateway/index.js';
import { createInspection, memoryPorts } from './inspection.js';
import { semanticPorts } from './semantic-ports.js';
import type { Pipeline } from './pipeline/index.js';
import { redactSecrets } from './detectors/index.js';
import { openConnection, ProcessGroups, StderrTail, upstreamRedactor, type CatalogSlice } from './upstream/index.js';
import { fetchSlice } from './upstream/catalog-slice.js';

/** For showing an upstream URL without its credentials (`watchdog scan` lists what it will connect to). */
export { redactUrl } from './upstream/index.js';

export interface ScanFinding {
  kind: 'tool' | 'prompt' | 'resource' | 'instructions';
  item: string;
  /** The tool's or prompt's name in the merged catalog (tools and prompts only). */
  exposedAs?: string;
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
  /** Tools the upstream lists that `tools.allow`/`deny` keep out of the catalog (not inspected). */
  hiddenTools: number;
  prompts: number;
  findings: ScanFinding[];
}

type Fetched = { upstream: UpstreamConfig; slice: CatalogSlice } | { upstream: UpstreamConfig; error: string };

export async function scanServers(config: Config, timeoutMs = 30_000): Promise<ServerReport[]> {
  const log = pino({ level: 'silent' });
  const enabled = config.upstreams.filter((u) => u.enabled);
  // The scanned servers die with this process too, even if it is killed (process-groups.ts).
  const groups = new ProcessGroups(log);
  let fetched: Fetched[];
  try {
    fetched = await Promise.all(enabled.map((u) => fetchOne(u, log, timeoutMs, groups)));
  } finally {
    groups.close();
  }
  const sources: CatalogSource[] = fetched.flatMap((f) => ('slice' in f ? [{
    upstream: f.upstream.name,
    prefix: effectivePrefix(config.gateway.prefix, f.upstream.prefix, f.upstream.name, enabled.length),
    separator: config.gateway.separator,
    exposeTool: toolFilter(f.upstream.tools),
    slice: f.slice,
  }] : []));
  const catalog = await buildCatalog(sources);
  // The gateway's wiring, over in-memory state (a scan records nothing) and the catalog it would expose,
  // with the semantic layer the config asks for (the local scorer by default: capability risk shows here).
  const { pipeline } = createInspection(config, memoryPorts({ catalog: catalogViewOf(() => catalog), ...semanticPorts(config.detection) }));
  const publicNames = new Map<string, string>();
  for (const [kind, routes] of [['tool', catalog.tool], ['prompt', catalog.prompt]] as const) {
    for (const [name, route] of routes) publicNames.set(`${kind}\u0000${route.upstream}\u0000${route.name}`, name);
  }
  return Promise.all(fetched.map(async (f): Promise<ServerReport> => {
    const name = f.upstream.name;
    if ('error' in f) return { upstream: name, error: f.error, tools: 0, hiddenTools: 0, prompts: 0, findings: [] };
    const expose = toolFilter(f.upstream.tools);
    const shown = { ...f.slice, tools: f.slice.tools.filter((t) => expose(String(t.name ?? ''))) };
    const exposedAs = (kind: string, item: string) => publicNames.get(`${kind}\u0000${name}\u0000${item}`);
    const findings = await inspectSlice(name, shown, pipeline, exposedAs);
    return { upstream: name, tools: shown.tools.length, hiddenTools: f.slice.tools.length - shown.tools.length, prompts: shown.prompts.length, findings };
  }));
}

/** The gateway's rule (gateway.ts): allow-list first (default all), then the deny-list. */
function toolFilter(tools: { allow?: string[]; deny: string[] }): (name: string) => boolean {
  const allow = tools.allow ? globMatcher(tools.allow) : () => true;
  const deny = globMatcher(tools.deny);
  return (name) => allow(name) && !deny(name);
}

async function fetchOne(upstream: UpstreamConfig, log: pino.Logger, timeoutMs: number, groups: ProcessGroups): Promise<Fetched> {
  let connection: Awaited<ReturnType<typeof openConnection>> | undefined;
  // A server that dies says why on stderr ("missing API_KEY"); the error alone says "Connection closed".
  const redact = upstreamRedactor(upstream, redactSecrets);
  const stderr = new StderrTail(log, redact);
  try {
    connection = await openConnection(upstream, log, { timeoutMs, process: { groups, stderr, redact } });
    return { upstream, slice: await fetchSlice(connection.client, timeoutMs) };
  } catch (err) {
    const reason = stderr.lines().slice(-3).join(' | ');
    return { upstream, error: `${redact(err instanceof Error ? err.message : String(err))}${reason ? `; stderr: ${reason}` : ''}` };
  } finally {
    await connection?.client.close().catch(() => undefined);
    await connection?.transport.close().catch(() => undefined);
  }
}

async function inspectSlice(upstream: string, slice: CatalogSlice, pipeline: Pipeline, exposedAs: (kind: string, item: string) => string | undefined): Promise<ScanFinding[]> {
  const out: ScanFinding[] = [];
  const add = (kind: ScanFinding['kind'], item: string, findings: Finding[]) =>
    out.push(...findings.map((f) => ({ kind, item, exposedAs: exposedAs(kind, item), rule: f.rule, severity: f.severity, action: f.action ?? 'alert', path: f.path, reason: f.reason })));
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
