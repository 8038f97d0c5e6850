/**
 * `watchdog status [--config F] [--url U] [--json]` (issue 13): asks the daemon over local HTTP
 * (`GET /status`) what it is doing, and lists stdio gateways too, from the snapshot files they write
 * beside the store (marked "snapshot"). The daemon is found through the same config discovery as
 * `run`, but only its address is read (config/locate.ts), so no `${VAR}` secret needs to be set; an
 * admin token comes from $WATCHDOG_ADMIN_TOKEN or the config's `adminTokens` when their variables are
 * set. Whatever answers is parsed with the documented schema (config/status-schema.ts), never trusted as is.
 * Exit codes: 0 every enabled upstream of every gateway is ready, 1 degraded, 2 nothing answered.
 */
import { discoverConfig, locateDaemon, ConfigError, StatusDocumentSchema, type DaemonLocation, type StatusDocument, type StatusReport } from '../config/index.js';
// The root's disk reader alone (not createApp, which loads the front doors): status must start fast.
import { readStatusSnapshots } from '../status-report.js';
import { flagSet, stringOption, type ParsedArgs } from './args.js';
import { formatReport } from './status-format.js';

type Gateway = StatusReport['gateways'][number];

const TIMEOUT_MS = 3000;
const EXIT = { ready: 0, degraded: 1, unreachable: 2 } as const;

export async function statusCommand(args: ParsedArgs): Promise<number> {
  const url = stringOption(args, 'url');
  let location: DaemonLocation | undefined;
  try {
    const path = discoverConfig({ flag: stringOption(args, 'config') });
    if (path) location = locateDaemon(path);
    else if (url === undefined) {
      process.stderr.write('watchdog: no config file: pass --config FILE or --url http://host:port, set $WATCHDOG_CONFIG, or create ./watchdog.yaml\n');
      return EXIT.unreachable;
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return EXIT.unreachable;
  }
  const report = await collect(url, location);
  if (flagSet(args, 'json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(formatReport(report));
  return EXIT[report.state];
}

async function collect(url: string | undefined, location: DaemonLocation | undefined): Promise<StatusReport> {
  const problems: string[] = [];
  const snapshots = location ? readSnapshots(location.store, problems) : [];
  const token = process.env.WATCHDOG_ADMIN_TOKEN || location?.adminToken;
  // The config's address, and the address each HTTP gateway of this config wrote in its snapshot
  // (a config with `port: 0` has no fixed address).
  const candidates = url !== undefined ? [adminBase(url)] : [location?.adminUrl, ...snapshots.filter((s) => s.mode === 'http' && s.url).map((s) => adminBase(s.url as string))];
  const gateways: Gateway[] = [];
  for (const base of new Set(candidates.filter((c): c is string => c !== undefined && !c.endsWith(':0')))) {
    const answer = await fetchStatus(base, token);
    if ('problem' in answer) problems.push(answer.problem);
    else if (!gateways.some((g) => g.pid === answer.document.pid)) gateways.push({ ...answer.document, source: 'http' });
  }
  for (const s of snapshots) if (!gateways.some((g) => g.pid === s.pid)) gateways.push(s);
  return { schema: 1, state: verdict(gateways), gateways, problems };
}

function verdict(gateways: Gateway[]): StatusReport['state'] {
  if (gateways.length === 0) return 'unreachable';
  const allReady = gateways.every((g) => g.upstreams.every((u) => u.state === 'ready' || u.state === 'disabled'));
  return allReady ? 'ready' : 'degraded';
}

/** `http://h:p`, `http://h:p/`, `http://h:p/mcp` and `http://h:p/status` all mean the daemon at h:p. */
function adminBase(url: string): string {
  try {
    const u = new URL(url);
    // A wildcard bind is reached on loopback.
    const host = u.hostname === '0.0.0.0' ? '127.0.0.1' : u.hostname === '[::]' ? '[::1]' : u.hostname;
    return `${u.protocol}//${host}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return url.replace(/\/+$/, '');
  }
}

async function fetchStatus(base: string, token: string | undefined): Promise<{ document: StatusDocument } | { problem: string }> {
  let response: Response;
  try {
    response = await fetch(`${base}/status`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return { problem: `${base}: no gateway answers (${cause})` };
  }
  if (response.status === 401) return { problem: `${base}: the admin API needs an admin token: set $WATCHDOG_ADMIN_TOKEN` };
  if (response.status === 403) return { problem: `${base}: the admin API is closed (a non-loopback bind without gateway.auth.adminTokens)` };
  if (response.status !== 200) return { problem: `${base}/status answered ${response.status}` };
  const parsed = StatusDocumentSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return { problem: `${base}/status: not an mcp-watchdog status document` };
  return { document: parsed.data };
}

function readSnapshots(store: string, problems: string[]): Gateway[] {
  const out: Gateway[] = [];
  for (const raw of readStatusSnapshots(store)) {
    const parsed = StatusDocumentSchema.safeParse(raw);
    const updatedAt = typeof raw.updatedAt === 'string' ? raw.updatedAt : undefined;
    if (parsed.success) out.push({ ...parsed.data, source: 'snapshot', ...(updatedAt === undefined ? {} : { updatedAt }) });
    else problems.push(`ignored the snapshot file of pid ${String(raw.pid)}: written by another mcp-watchdog version`);
  }
  return out;
}
