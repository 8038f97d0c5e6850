/**
 * The composition root: builds logger-bound pieces — store, ports, inspection (createInspection, the
 * same wiring scan and eval use), audited inspector, gateway (with its upstreams) and the front doors —
 * from a validated config. Everything else receives its collaborators from here; nothing is a singleton.
 * The ports handed to detectors are the SQLite stores of the one database, the gateway's merged
 * catalog as a view, and the injected clock and metrics.
 */
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { isStdio, storePathOf, type Config } from './config/index.js';
import { noMetrics, systemClock, type Clock, type Metrics, type Ports } from './core/index.js';
import { redactSecrets } from './detectors/index.js';
import { serveHttp, serveStdio, writeStatusFiles, type HttpFrontDoor, type StdioFrontDoor } from './downstream/index.js';
import { catalogViewOf, createAuditedInspector, createScreen, Gateway, type GatewayOptions } from './gateway/index.js';
import { createInspection } from './inspection.js';
import { openWatchdogStore, type WatchdogStore } from './store/index.js';
import { hideable, literalRedactor, ProcessGroups, Upstream, type RedactText } from './upstream/index.js';

export interface AppDeps {
  log: Logger;
  backoff?: GatewayOptions['backoff'];
  /** Store location override (tests); default `config.gateway.store`, else the user's state folder. */
  storePath?: string;
  /** Shown by `watchdog status`. */
  configPath?: string;
  /** Time for the stores, the audit log and detectors; default the system clock. */
  clock?: Clock;
  /** Default `noMetrics`. */
  metrics?: Metrics;
}

/** Where running gateways publish their status for `watchdog status`: beside the store. */
export function statusFolder(storePath: string): string {
  return join(dirname(storePath), 'status');
}

export interface App {
  gateway: Gateway;
  store: WatchdogStore;
  /** What detectors were given (the admin API reads pins through the same port). */
  ports: Ports;
  /** Starts upstreams and the HTTP front door; resolves once listening. */
  serveHttp(): Promise<HttpFrontDoor>;
  /** Starts upstreams and serves one client on the given streams. */
  serveStdio(input: Readable, output: Writable): Promise<StdioFrontDoor>;
  /** SIGKILLs every upstream process group now, synchronously (the CLI's forced-exit and exit paths). */
  killAllGroups(): void;
  close(): Promise<void>;
}

/**
 * What is hidden before anything is written to disk (issue 7, item 14): the client tokens, every
 * upstream's configured `env` and `headers` values, then every secret shape the secrets detector knows.
 */
export function storedTextRedactor(config: Config): RedactText {
  const values = [...config.gateway.auth.tokens, ...config.upstreams.flatMap((u) => Object.values(isStdio(u) ? u.env : u.headers))];
  return literalRedactor(hideable(values), redactSecrets);
}

export function createApp(config: Config, deps: AppDeps): App {
  const { log } = deps;
  const { retention } = config.gateway;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const storePath = deps.storePath ?? storePathOf(config.gateway);
  const store = openWatchdogStore(storePath, {
    findings: { maxRows: retention.maxRows, maxAgeDays: retention.maxAgeDays, now },
    events: { redact: storedTextRedactor(config) },
    pins: { clock },
    flows: { clock },
    baselines: { clock },
  });
  // The view reads the gateway's catalog (the candidate while it is screened); nothing inspects before the gateway starts.
  const catalog = catalogViewOf(() => gateway.viewedCatalog);
  const ports: Ports = { clock, pins: store.pins, flows: store.flows, baselines: store.baselines, catalog, metrics: deps.metrics ?? noMetrics };
  const { pipeline } = createInspection(config, ports);
  const inspector = createAuditedInspector({ pipeline, findings: store.findings, log, now });
  const groups = new ProcessGroups(log);
  const upstreamOptions = { groups, redact: redactSecrets, backoff: deps.backoff };
  const gateway = new Gateway({
    config,
    log,
    clock,
    inspector,
    screen: createScreen(inspector),
    upstreamFactory: (u, hooks) => new Upstream(u, log.child({ upstream: u.name }), hooks, upstreamOptions),
  });
  const closers: Array<() => Promise<void>> = [];
  let closed = false;
  const publishStatus = (mode: string, url?: string) => {
    const base = { mode, url, config: deps.configPath, startedAt: new Date().toISOString() };
    const writer = writeStatusFiles(statusFolder(storePath), base, {
      snapshot: () => ({ ...gateway.snapshot(), findings: store.findings.counts() }),
    });
    closers.push(async () => writer.close());
  };

  return {
    gateway,
    store,
    ports,
    async serveHttp() {
      await gateway.start();
      const longestUpstreamTimeoutSeconds = Math.max(0, ...config.upstreams.map((u) => u.timeout));
      const door = await serveHttp({ gateway, config: config.gateway, log, sessionEvents: store.events, longestUpstreamTimeoutSeconds });
      closers.push(() => door.close());
      publishStatus('http', door.url);
      return door;
    },
    async serveStdio(input, output) {
      // Upstreams first: an assistant's first tools/list should see them (late ones arrive with list_changed).
      await gateway.start();
      const door = await serveStdio(gateway, input, output, config.gateway.maxBodyBytes);
      closers.push(() => door.close());
      publishStatus('stdio');
      return door;
    },
    killAllGroups: () => groups.killAll(),
    /** Front doors and the gateway (sessions and upstreams in parallel) close together; then any group left is swept. */
    async close() {
      if (closed) return;
      closed = true;
      const doors = async () => {
        for (const close of closers.reverse()) await close().catch((err: unknown) => log.warn({ err: String(err) }, 'close step failed'));
      };
      try {
        await Promise.allSettled([doors(), gateway.close()]);
      } finally {
        groups.close();
        store.close();
      }
    },
  };
}
