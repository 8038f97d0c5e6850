/**
 * The composition root: builds logger-bound pieces — store, ports, inspection (createInspection, the
 * same wiring scan and eval use), audited inspector, metrics, gateway (with its upstreams), the front
 * doors and the admin API — from a validated config, and re-applies a reloaded config (reload.ts
 * decides what changed; a new policy gets a new inspection). Everything else receives its
 * collaborators from here; nothing is a singleton. The ports handed to detectors are the SQLite stores
 * of the one database, the gateway's merged catalog as a view, the injected clock, and the metrics
 * (Prometheus, served on `/metrics`); with a redis:// `gateway.store`, the state ports are the replicated
 * stores on Valkey/Redis instead (replication.ts).
 */
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { isRedisUrl, isStdio, redisTarget, storePathOf, watchConfigFile, type Config, type ConfigWatcher, type StatusDocument } from './config/index.js';
import { nodePathProbe, systemClock, type Clock, type Metrics, type PathProbe, type Ports } from './core/index.js';
import { redactSecrets } from './detectors/index.js';
import { PromMetrics, readiness, serveHttp, serveStdio, statusDocument, statusFolder, writeStatusFiles, type AdminApi, type HttpFrontDoor, type StatusSources, type StdioFrontDoor } from './downstream/index.js';
import { catalogViewOf, createAuditedInspector, createScreen, Gateway, reportFinding, type GatewayOptions, type Inspection } from './gateway/index.js';
import { createInspection } from './inspection.js';
import { auditedPins } from './pin-audit.js';
import { Reloader, type ReloadOutcome } from './reload.js';
import { openReplication, replicationStatus, startReplication } from './replication.js';
import { semanticPorts, verdictRetention } from './semantic-ports.js';
import { watchSensitiveFiles, type SensitiveWatch } from './sensitive-watch.js';
import { openWatchdogStore, type ReplicatedStores, type WatchdogStore } from './store/index.js';
import { hideable, literalRedactor, ProcessGroups, Upstream, type RedactText } from './upstream/index.js';

export interface AppDeps {
  log: Logger;
  backoff?: GatewayOptions['backoff'];
  /** Store location override (tests); default `config.gateway.store`, else the user's state folder. */
  storePath?: string;
  /** The file the config came from: shown by status, watched and re-read on reload. */
  configPath?: string;
  /** Hash of that file's text as loaded (LoadedConfig.hash). */
  configHash?: string;
  /** Debounce of the config watcher; default 250 ms. */
  watchDebounceMs?: number;
  /** Time for the stores, the audit log and detectors; default the system clock. */
  clock?: Clock;
  /** The home folder whose client configs and sensitive files the watch guards when `watch.files` is unset; default the path probe's home. */
  home?: string;
  /** Where path arguments lead (filesystem scope); default the real file system and home. */
  paths?: PathProbe;
  /** Also receives every count and observation (tests); the Prometheus metrics of `/metrics` always do. */
  metrics?: Metrics;
  /** Where the LLM judge's API key may come from (`ANTHROPIC_API_KEY`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** How often the pin store's decision counter is read (issue 10: approvals without restart); default 1000 ms. */
  pinPollMs?: number;
}

export interface App {
  gateway: Gateway;
  store: WatchdogStore;
  /** The shared state on Valkey/Redis when `gateway.store` is a redis:// URL (issue 16). */
  replication?: ReplicatedStores;
  /** What detectors were given (the admin API reads pins through the same port). */
  ports: Ports;
  /** Starts upstreams and the HTTP front door (MCP and admin endpoints); resolves once listening. */
  serveHttp(): Promise<HttpFrontDoor>;
  /** Starts upstreams and serves one client on the given streams. */
  serveStdio(input: Readable, output: Writable): Promise<StdioFrontDoor>;
  /** The `/status` document. */
  status(): StatusDocument;
  /** Re-reads the config file and applies what changed; an invalid file is logged and changes nothing. */
  reload(trigger: string): Promise<ReloadOutcome>;
  /** SIGKILLs every upstream process group now, synchronously (the CLI's forced-exit and exit paths). */
  killAllGroups(): void;
  close(): Promise<void>;
}

/**
 * Inspection for one policy — the detectors and pipeline of `createInspection`, audited (findings
 * recorded and counted), and the catalog screen; a policy reload builds a new one (fresh screen cache).
 */
function buildInspection(config: Config, ports: Ports, store: WatchdogStore, log: Logger): Inspection {
  const { pipeline } = createInspection(config, ports);
  const inspector = createAuditedInspector({ pipeline, findings: store.findings, metrics: ports.metrics, log, now: () => ports.clock.now() });
  return { inspector, screen: createScreen(inspector) };
}

/** Every count and observation goes to both. */
function bothMetrics(a: Metrics, b: Metrics): Metrics {
  return {
    count(name, labels, n) {
      a.count(name, labels, n);
      b.count(name, labels, n);
    },
    observe(name, ms, labels) {
      a.observe(name, ms, labels);
      b.observe(name, ms, labels);
    },
  };
}

/**
 * Calls `changed` whenever the pin store's decision counter moves (an approval, rejection or reset by
 * the CLI, the admin API or another gateway on the same store); returns the stop function.
 */
function watchPinDecisions(pins: Ports['pins'], everyMs: number, changed: () => void): () => void {
  let seen = pins.decisions();
  const timer = setInterval(() => {
    const now = pins.decisions();
    if (now === seen) return;
    seen = now;
    changed();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** `compute`'s result, recomputed when older than `ms`. */
function everyMs<T>(ms: number, now: () => number, compute: () => T): () => T {
  let value: { at: number; result: T } | undefined;
  return () => {
    const at = now();
    if (!value || at - value.at >= ms) value = { at, result: compute() };
    return value.result;
  };
}

/**
 * What is hidden before anything is written to disk (issue 7, item 14): the client and admin tokens,
 * the shared store's password (issue 16), the LLM judge's configured API key (issue 15),
 * every upstream's configured `env` and `headers` values, then every secret shape the secrets detector
 * knows. A reload builds a new one from the new config.
 */
export function storedTextRedactor(config: Config): RedactText {
  const { store, redis } = config.gateway;
  const redisPassword = store !== undefined && isRedisUrl(store) ? redisTarget(store, redis).password : undefined;
  const values = [
    ...config.gateway.auth.tokens,
    ...config.gateway.auth.adminTokens,
    ...(redisPassword === undefined ? [] : [redisPassword]),
    ...config.upstreams.flatMap((u) => Object.values(isStdio(u) ? u.env : u.headers)),
    ...(config.detection.semantic.apiKey ? [config.detection.semantic.apiKey] : []),
  ];
  return literalRedactor(hideable(values), redactSecrets);
}

/**
 * The flow rows of the calls in this window share one SQLite commit (issue 14: a commit per call was the
 * largest cost of ours after the pipeline). Another gateway on the same file sees a read that much
 * later, far below the time an agent takes to act on what it read.
 */
export const STORE_COMMIT_WINDOW_MS = 100;

export function createApp(config: Config, deps: AppDeps): App {
  const { log } = deps;
  const { retention } = config.gateway;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const storePath = deps.storePath ?? storePathOf(config.gateway);
  let redactStored = storedTextRedactor(config);
  const store = openWatchdogStore(storePath, {
    findings: { maxRows: retention.maxRows, maxAgeDays: retention.maxAgeDays, now, redact: (text) => redactStored(text) },
    // Through a variable: a reload swaps in the new config's secrets.
    onCommitError: (err) => log.warn({ err: String(err) }, 'committing writes to the store failed (baselines, flows)'),
    commitWindowMs: STORE_COMMIT_WINDOW_MS,
    pins: { clock },
    flows: { clock, ttlMs: config.flows.ttl, maxEntries: config.flows.maxEntries },
    baselines: { clock },
    // The judge's verdicts (issue 15) in the same file, so a restart does not pay for them again.
    verdicts: { ...verdictRetention(config.detection, clock), redact: (text) => redactStored(text) },
  });
  const prometheus = new PromMetrics();
  const metrics = deps.metrics ? bothMetrics(prometheus, deps.metrics) : prometheus;
  // The view reads the gateway's catalog (the candidate while it is screened); nothing inspects before the gateway starts.
  const catalog = catalogViewOf(() => gateway.viewedCatalog);
  // With a redis:// store (issue 16) pins, flows and baselines are shared by the replicas; findings stay in this one's SQLite file.
  // Rate buckets too (issue 16): a limit holds across the replicas; their local fallback is bounded by the config in force.
  const replication = openReplication(config, { clock, log, metrics: () => metrics, maxBuckets: () => reloader.config.rateLimits.maxBuckets, configHash: () => reloader.info().hash });
  const state = replication ?? store;
  // The semantic layer (issue 15) is built once: a change to `detection:` needs a restart (config/diff.ts).
  const semantic = semanticPorts(config.detection, { env: deps.env, log, clock, verdicts: store.verdicts });
  const ports: Ports = { clock, pins: state.pins, flows: state.flows, baselines: state.baselines, catalog, metrics, paths: deps.paths ?? nodePathProbe(), ...semantic };
  const inspect = (next: Config) => buildInspection(next, ports, store, log);
  const groups = new ProcessGroups(log);
  const upstreamOptions = { groups, redact: redactSecrets, backoff: deps.backoff };
  const gateway = new Gateway({
    config,
    log,
    clock,
    metrics,
    ...inspect(config),
    findings: store.findings,
    ...(replication ? { rateBuckets: replication.rateBuckets } : {}),
    upstreamFactory: (u, hooks) => new Upstream(u, log.child({ upstream: u.name }), hooks, upstreamOptions),
  });
  prometheus.attach({ gateway: () => gateway.snapshot(), store: () => store.stats() });

  const reloader = new Reloader({
    log,
    config,
    path: deps.configPath,
    hash: deps.configHash,
    apply: (next, diff) => {
      redactStored = storedTextRedactor(next);
      // Detectors read upstream settings too (scope, rate limits, labels), so any upstream change rebuilds them.
      const { added, removed, changed } = diff.upstreams;
      if (diff.guards && serving) setFileWatch(next);
      const rebuild = diff.policy || diff.flows || diff.guards || added.length + removed.length + changed.length > 0;
      return gateway.reconfigure(next, diff.upstreams, rebuild ? inspect(next) : undefined);
    },
    watchChanged: (watch) => setWatching(watch),
    // The other replicas learn of the new config digest at once, not at the next heartbeat (issue 16).
    reloaded: () => void replication?.announce(),
  });
  const facts: StatusSources['process'] = { mode: 'http', startedAt: now(), config: () => reloader.info() };
  const sources: StatusSources = {
    gateway,
    process: facts,
    held: () => ports.pins.list({ status: 'held', limit: 1000 }).flatMap((p) => (p.kind === 'upstream' ? [] : [{ upstream: p.upstream, kind: p.kind, name: p.item }])),
    store: { healthy: () => store.healthy(), counts: () => store.findings.counts(), byRule: (since) => store.findings.byRule(since), stats: () => store.stats() },
    replication: () => replicationStatus(replication, reloader.config, storePath),
  };
  // The snapshot file is rewritten every 2 s; the all-time totals scan the whole findings table
  // (~120 ms at the 100,000-row retention bound), so the file takes them at most every 30 s.
  // `/status` is asked for, and always counts afresh.
  const totals = everyMs(30_000, now, () => ({ counts: store.findings.counts(), byRule: store.findings.byRule(0) }));
  const snapshotSources: StatusSources = {
    ...sources,
    store: { ...sources.store, counts: () => totals().counts, byRule: (since) => (since === 0 ? totals().byRule : store.findings.byRule(since)) },
  };
  const admin: AdminApi = {
    ready: () => readiness(sources),
    status: () => statusDocument(sources),
    metrics: () => prometheus.text(),
    calls: () => prometheus.callsByUpstream(),
    findings: (query) => store.findings.page(query),
    pins: auditedPins(() => ports.pins, { findings: store.findings, metrics, log, now }),
  };

  // The config and sensitive-file watch (issue 11): started with a front door, restarted by a reload.
  let fileWatch: SensitiveWatch | undefined;
  let serving = false;
  const setFileWatch = (next: Config) => {
    fileWatch?.close();
    fileWatch = undefined;
    if (!next.watch.enabled || closed) return;
    const audit = { findings: store.findings, metrics, log, now };
    const upstreamPids = () => gateway.snapshot().upstreams.flatMap((u) => (u.pid === undefined ? [] : [u.pid]));
    fileWatch = watchSensitiveFiles({ config: next.watch, home: deps.home ?? ports.paths.home, log, upstreamPids, report: (finding) => void reportFinding(audit, finding) });
  };
  const closers: Array<() => Promise<void>> = [];
  let watcher: ConfigWatcher | undefined;
  const setWatching = (on: boolean) => {
    watcher?.close();
    watcher = undefined;
    if (!on || !deps.configPath) return;
    watcher = watchConfigFile(deps.configPath, () => void reloader.reload('file changed'), {
      debounceMs: deps.watchDebounceMs,
      onError: (err) => log.warn({ err: err.message }, 'cannot watch the config file; send SIGHUP to reload'),
    });
  };
  // A pin decision re-screens the catalog with a fresh screen (its cached verdicts predate the decision).
  const rescreen = () => {
    const current = reloader.config;
    gateway.reconfigure(current, { added: [], removed: [], changed: [] }, inspect(current)).catch((err: unknown) => log.error({ err: String(err) }, 're-screening after a pin decision failed'));
  };
  const started = (mode: 'http' | 'stdio', url?: string) => {
    Object.assign(facts, { mode, url });
    const stop = watchPinDecisions(ports.pins, deps.pinPollMs ?? 1000, rescreen);
    closers.push(async () => stop());
    const writer = writeStatusFiles(statusFolder(storePath), { snapshot: () => statusDocument(snapshotSources) });
    closers.push(async () => writer.close());
    setWatching(config.gateway.watchConfig);
    serving = true;
    setFileWatch(reloader.config);
  };
  let closed = false;

  return {
    gateway,
    store,
    ...(replication ? { replication } : {}),
    ports,
    async serveHttp() {
      await startReplication(replication, config, log);
      await gateway.start();
      const current = () => reloader.config.gateway.auth;
      const longestUpstreamTimeoutSeconds = Math.max(0, ...config.upstreams.map((u) => u.timeout));
      const door = await serveHttp({
        gateway,
        config: config.gateway,
        log,
        sessionEvents: store.events,
        admin,
        tokens: { client: () => current().tokens, admin: () => current().adminTokens },
        longestUpstreamTimeoutSeconds,
      });
      closers.push(() => door.close());
      started('http', door.url);
      return door;
    },
    async serveStdio(input, output) {
      // Upstreams first: an assistant's first tools/list should see them (late ones arrive with list_changed).
      await startReplication(replication, config, log);
      await gateway.start();
      const door = await serveStdio(gateway, input, output, config.gateway.maxBodyBytes);
      closers.push(() => door.close());
      started('stdio');
      return door;
    },
    status: () => statusDocument(sources),
    reload: (trigger) => reloader.reload(trigger),
    killAllGroups: () => groups.killAll(),
    /** Front doors and the gateway (sessions and upstreams in parallel) close together; then any group left is swept. */
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      fileWatch?.close();
      const doors = async () => {
        for (const close of closers.reverse()) await close().catch((err: unknown) => log.warn({ err: String(err) }, 'close step failed'));
      };
      try {
        await Promise.allSettled([doors(), reloader.close(), gateway.close()]);
      } finally {
        groups.close();
        try {
          await replication?.close();
        } finally {
          store.close();
        }
      }
    },
  };
}
