/**
 * The merged MCP server. Owns the upstreams' supervisors, the merged catalog, and the downstream
 * sessions (one low-level `Server` each). Upstream catalog changes rebuild the catalog and are sent,
 * debounced, as list_changed to every session. A downstream request never changes process-wide state:
 * log levels and subscriptions live in the session.
 * Upstreams come from an injected factory (the root's builds real supervisors; unit tests build fakes,
 * so the gateway is tested without processes) and can be added and removed at run time (hot reload).
 */
import { McpServer, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { type Clock, type Json, type Metrics, type RateBuckets, systemClock, WatchdogError } from '../core/index.js';
import type { Config, UpstreamConfig } from '../config/schema.js';
import { GATEWAY_INFO, Upstream, type BackoffOptions, type UpstreamHooks, type UpstreamOptions, type UpstreamSnapshot } from '../upstream/index.js';
import { buildCatalog, diffKinds, emptyCatalog, type CatalogSource, type MergedCatalog, type Rename, type Route, type Screen } from './catalog.js';
import { dispatch } from './dispatch.js';
import { RequestMeters } from './metering.js';
import { ValidatingServer } from './params.js';
import { RequestStateSeal } from './era-bridge/input-required.js';
import { ParkedCalls } from './era-bridge/parking.js';
import { passThrough, type Inspector } from './inspector.js';
import { globMatcher } from './naming.js';
import { type FindingsSink, reportFinding } from './audit.js';
import { episodeFinding, ListChangedGate, RateGuard, type RateGuardSnapshot } from './rate-guard.js';
import { localPrincipal } from './principal.js';
import { serveToolSchemas } from './sdk-server.js';
import { SessionRegistry, type DownstreamSession, type InFlight, type SessionCount } from './sessions.js';

/** Builds the supervisor of one upstream; it must not connect before `start()`. */
export type UpstreamFactory = (config: UpstreamConfig, hooks: UpstreamHooks) => Upstream;

export interface GatewayOptions {
  config: Config;
  log: Logger;
  /** Default: a real `Upstream` with `log`, `backoff` and `upstream` below. */
  upstreamFactory?: UpstreamFactory;
  /** Time for the expiry of parked calls' request state; default the system clock. */
  clock?: Clock;
  /** Principal of requests without an authenticated identity; default `user:<the OS user>`. */
  localPrincipal?: string;
  inspector?: Inspector;
  /** Decides which catalog items are shown (detection of poisoned tools); default: all. */
  screen?: Screen;
  backoff?: BackoffOptions;
  /** Debounce for list_changed fan-out; default 50 ms. */
  debounceMs?: number;
  /** How long start() waits for upstreams' first connection attempt before serving anyway; default 15 s. */
  startWaitMs?: number;
  /** Request counts and latencies (metering.ts); default `noMetrics`. */
  metrics?: Metrics;
  /** Where the gateway's own guards (rate guards) record findings; default: logged only. */
  findings?: FindingsSink;
  /** Where tool-call rate buckets live (issue 16: shared by replicas on Valkey/Redis); default this process's memory. */
  rateBuckets?: RateBuckets;
  /** Process-group registry, stderr redaction and list_changed coalescing for the upstreams (upstream.ts). */
  upstream?: Omit<UpstreamOptions, 'backoff'>;
}

export interface GatewaySnapshot {
  upstreams: UpstreamSnapshot[];
  /** Sizes of the merged catalog. */
  tools: number;
  prompts: number;
  resources: number;
  renames: Rename[];
  withheld: MergedCatalog['withheld'];
  /** Open sessions by front door and protocol era (2026-07-28 HTTP clients are stateless: no session). */
  sessions: SessionCount[];
  /** Rate-guard counts (issue 11). */
  rateGuard: RateGuardSnapshot;
}

export const SERVER_CAPABILITIES = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  completions: {},
  logging: {},
} as const;

/** A reload's changes to the upstreams, by name (config/diff.ts computes them). */
export interface UpstreamChanges {
  added: readonly string[];
  removed: readonly string[];
  changed: readonly string[];
}

/** The detection the gateway applies: per message (inspector) and per catalog item (screen, with its cache). */
export interface Inspection {
  inspector: Inspector;
  screen?: Screen;
}

export class Gateway {
  readonly sessions: SessionRegistry;
  /** Seals upstream `requestState` for modern clients (era-bridge/input-required.ts); one random key per gateway. */
  readonly requestState = new RequestStateSeal();
  /** Calls of modern clients parked on 2025-era upstreams, waiting for input (era-bridge/parking.ts). */
  readonly parked = new ParkedCalls();
  readonly meters: RequestMeters;
  readonly clock: Clock;
  readonly localPrincipal: string;
  /** Token buckets on calls and upstream notifications (rate-guard.ts), under the config in force. */
  readonly rateGuard: RateGuard;
  private upstreams = new Map<string, Upstream>();
  private readonly makeUpstream: UpstreamFactory;
  private readonly hooks: UpstreamHooks;
  private started = false;
  private config: Config;
  private inspection: Inspection;
  private catalogValue: MergedCatalog;
  /** The candidate catalog while a rebuild screens it (catalog.ts, two passes). */
  private screening?: MergedCatalog;
  /** Routes seen before, so a call to a tool of an upstream that went down can name it. */
  private readonly known = { tool: new Map<string, Route>(), prompt: new Map<string, Route>(), resource: new Map<string, Route>() };
  private rebuildTimer?: NodeJS.Timeout;
  /** Upstream catalog changes under the rate guard's list_changed buckets. */
  private readonly listChanged: ListChangedGate;
  private closed = false;

  constructor(private readonly options: GatewayOptions) {
    this.config = options.config;
    this.inspection = { inspector: options.inspector ?? passThrough, screen: options.screen };
    this.sessions = new SessionRegistry(options.log);
    this.meters = new RequestMeters(options.metrics);
    this.catalogValue = emptyCatalog();
    this.clock = options.clock ?? systemClock;
    this.localPrincipal = options.localPrincipal ?? localPrincipal();
    const audit = { findings: options.findings, metrics: options.metrics, log: options.log, now: () => this.clock.now() };
    this.rateGuard = new RateGuard(() => this.config.rateLimits, this.clock, (episode) => void reportFinding(audit, episodeFinding(episode)), options.rateBuckets);
    this.listChanged = new ListChangedGate(this.rateGuard, () => this.scheduleRebuild());
    this.hooks = {
      catalogChanged: (upstream: string) => this.listChanged.changed(upstream),
      notification: (upstream: string, n: { method: string; params?: Json }) => {
        if (this.admitNotification(upstream, n.method)) this.sessions.relayNotification(upstream, n);
      },
    };
    const upstreamOptions = { ...options.upstream, backoff: options.backoff };
    this.makeUpstream = options.upstreamFactory ?? ((u, hooks) => new Upstream(u, options.log.child({ upstream: u.name }), hooks, upstreamOptions));
    for (const u of options.config.upstreams) this.upstreams.set(u.name, this.makeUpstream(u, this.hooks));
    this.sessions.onSessionClosed((session) => void this.sessionClosed(session));
  }

  /** The inspector in force: a reload with a new policy replaces it, and the next message uses the new one. */
  get inspector(): Inspector {
    return this.inspection.inspector;
  }

  /**
   * Applies a reloaded config (issue 13): removed upstreams close, changed ones are replaced (the old
   * process ends before the new one starts, as they may share files or ports), added ones start;
   * unchanged upstreams and every downstream session are left alone. A new inspection (policy changed)
   * comes with a fresh screen, so cached listing verdicts are dropped and the catalog is screened again.
   * Sessions learn of the new catalog through list_changed.
   */
  async reconfigure(config: Config, changes: UpstreamChanges, inspection?: Inspection): Promise<void> {
    if (this.closed) return;
    this.config = config;
    if (inspection) this.inspection = inspection;
    // A changed upstream's routes stay known: a call in the gap is "upstream down", not "unknown tool".
    const gone = [...changes.removed.map((name) => this.detach(name, true)), ...changes.changed.map((name) => this.detach(name, false))].filter((u) => u !== undefined);
    await this.rebuild();
    await Promise.allSettled(gone.map((u) => u.close()));
    if (this.closed) return;
    const configs = new Map(config.upstreams.map((u) => [u.name, u]));
    for (const name of [...changes.changed, ...changes.added]) {
      const u = configs.get(name);
      if (u && !this.upstreams.has(name)) this.addUpstream(u);
    }
    // Catalog order (and so which of two colliding names is renamed) follows the config, as at start.
    const order = config.upstreams.map((u) => u.name).filter((name) => this.upstreams.has(name));
    this.upstreams = new Map(order.map((name) => [name, this.upstreams.get(name) as Upstream]));
  }

  /** A session's per-session upstream connections end with it; its modern-upstream subscriptions too. */
  private async sessionClosed(session: DownstreamSession): Promise<void> {
    for (const u of this.upstreams.values()) await u.releaseSession(session.id).catch(() => undefined);
    for (const uri of session.subscriptions) {
      const route = this.catalogValue.resource.get(uri);
      const u = route ? this.upstreams.get(route.upstream) : undefined;
      if (route && u?.era === 'modern' && u.state === 'up') await u.request('resources/unsubscribe', { uri: route.name }).catch(() => undefined);
    }
  }

  get catalog(): MergedCatalog {
    return this.catalogValue;
  }

  /**
   * What the catalog view port shows detectors: during screening the candidate catalog (every
   * upstream's items, unscreened), otherwise the merged one.
   */
  get viewedCatalog(): MergedCatalog {
    return this.screening ?? this.catalogValue;
  }

  async start(): Promise<void> {
    this.started = true;
    for (const u of this.upstreams.values()) u.start();
    const all = Promise.all([...this.upstreams.values()].map((u) => u.firstAttempt));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, this.options.startWaitMs ?? 15_000)))]);
    clearTimeout(timer);
    await this.rebuild();
  }

  /**
   * Adds an upstream at run time (hot reload): started at once when the gateway is, its items join the
   * catalog when it connects (list_changed to every session). A name already in use is refused.
   */
  addUpstream(config: UpstreamConfig): Upstream {
    if (this.closed) throw new Error('the gateway is closed');
    if (this.upstreams.has(config.name)) throw new Error(`upstream "${config.name}" already exists`);
    const u = this.makeUpstream(config, this.hooks);
    this.upstreams.set(config.name, u);
    if (this.started) u.start();
    this.scheduleRebuild();
    return u;
  }

  /**
   * Removes an upstream at run time: its items leave the catalog at once (list_changed), calls naming
   * them become unknown, and its connections and processes close. False when there was none.
   */
  async removeUpstream(name: string): Promise<boolean> {
    const u = this.detach(name, true);
    if (!u) return false;
    try {
      await this.rebuild();
    } finally {
      await u.close();
    }
    return true;
  }

  /**
   * Takes an upstream out of routing; the caller rebuilds the catalog and closes it. `forget`: its
   * remembered routes go too, so calls naming its items become unknown rather than "upstream down".
   */
  private detach(name: string, forget: boolean): Upstream | undefined {
    const u = this.upstreams.get(name);
    if (!u) return undefined;
    this.upstreams.delete(name);
    if (forget) for (const routes of Object.values(this.known)) for (const [key, route] of routes) if (route.upstream === name) routes.delete(key);
    return u;
  }

  upstream(name: string): Upstream {
    const u = this.upstreams.get(name);
    if (!u) throw new WatchdogError('WDG_UPSTREAM_DOWN', { upstream: name, state: 'unknown' });
    return u;
  }

  routeTool(name: string): Route {
    return this.route('tool', name, 'WDG_UNKNOWN_TOOL');
  }

  routePrompt(name: string): Route {
    return this.route('prompt', name, 'WDG_UNKNOWN_PROMPT');
  }

  knownResource(uri: string): Route | undefined {
    const route = this.known.resource.get(uri);
    if (route) this.requireUp(route.upstream);
    return route;
  }

  private route(kind: 'tool' | 'prompt', name: string, unknown: 'WDG_UNKNOWN_TOOL' | 'WDG_UNKNOWN_PROMPT'): Route {
    const route = this.catalogValue[kind].get(name) ?? this.known[kind].get(name);
    if (!route) throw new WatchdogError(unknown, { name });
    this.requireUp(route.upstream);
    return route;
  }

  private requireUp(name: string): void {
    const u = this.upstream(name);
    if (u.state !== 'up') throw new WatchdogError('WDG_UPSTREAM_DOWN', { upstream: name, state: u.state }, { upstream: name, state: u.state });
  }

  session(id: string | undefined): DownstreamSession | undefined {
    return this.sessions.get(id);
  }

  /** Runs an upstream call and remembers which request is waiting on which upstream (log and push routing). */
  track<T>(ctx: ServerContext, upstream: string, call: (flight: InFlight) => Promise<T>): Promise<T> {
    return this.sessions.track(ctx, upstream, call);
  }

  /** A fresh low-level Server whose every request is dispatched by this gateway. */
  createServer(): Server {
    const server = new ValidatingServer({ ...GATEWAY_INFO }, { capabilities: structuredClone(SERVER_CAPABILITIES), instructions: this.instructions() });
    server.fallbackRequestHandler = (request, ctx) => dispatch(this, request.method, request.params as Json | undefined, ctx);
    server.setNotificationHandler('notifications/roots/list_changed', async () => {
      const session = [...this.sessions.all()].find((s) => s.server === server);
      if (session) for (const u of this.upstreams.values()) await u.notifySession(session.id, 'notifications/roots/list_changed').catch(() => undefined);
    });
    return server;
  }

  /**
   * The same merged server for a 2026-07-28 request, wrapped in an McpServer with no registered items
   * (so the fallback still answers everything): the SDK's HTTP entry validates `Mcp-Param-*` headers
   * only for an McpServer (SEP-2243), asking it for each tool's input schema, which we take from the
   * merged catalog.
   */
  createModernServer(): McpServer {
    const mcp = new McpServer({ ...GATEWAY_INFO }, { instructions: this.instructions() });
    mcp.server.registerCapabilities(structuredClone(SERVER_CAPABILITIES));
    mcp.server.fallbackRequestHandler = (request, ctx) => dispatch(this, request.method, request.params as Json | undefined, ctx);
    serveToolSchemas(mcp, (name) => this.catalogValue.tools.find((t) => t.name === name)?.inputSchema);
    return mcp;
  }

  /** The screened instructions of the current catalog (see buildCatalog). */
  private instructions(): string | undefined {
    return this.catalogValue.instructions;
  }

  /** Whether an upstream notification may go out under the rate guard (list_changed is gated apart). */
  admitNotification(upstream: string, method: string): boolean {
    return this.rateGuard.admitsNotification(upstream, method);
  }

  private scheduleRebuild(): void {
    if (this.closed) return;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => this.rebuild().catch((err: unknown) => this.options.log.error({ err: String(err) }, 'catalog rebuild failed; keeping the previous catalog')), this.options.debounceMs ?? 50);
  }

  private async rebuild(): Promise<void> {
    if (this.closed) return;
    let mine: MergedCatalog | undefined;
    let next: MergedCatalog;
    try {
      next = await buildCatalog(this.sources(), this.inspection.screen, { onCandidate: (candidate) => (this.screening = mine = candidate) });
    } finally {
      if (this.screening === mine) this.screening = undefined;
    }
    const previous = this.catalogValue;
    this.catalogValue = next;
    for (const kind of ['tool', 'prompt', 'resource'] as const) for (const [k, v] of next[kind]) this.known[kind].set(k, v);
    this.logChanges(next.renames);
    this.sessions.broadcastListChanged(diffKinds(previous, next));
  }

  private sources(): CatalogSource[] {
    const { gateway } = this.config;
    const enabled = [...this.upstreams.values()].filter((u) => u.config.enabled);
    return enabled.map((u) => ({
      upstream: u.name,
      prefix: effectivePrefix(gateway.prefix, u.config.prefix, u.name, enabled.length),
      separator: gateway.separator,
      exposeTool: toolFilter(u.config.tools),
      slice: u.slice,
    }));
  }

  private logChanges(renames: Rename[]): void {
    for (const r of renames) this.options.log.info({ upstream: r.upstream, kind: r.kind, original: r.original, public: r.public, reason: r.reason }, 'catalog name rewritten');
  }

  snapshot(): GatewaySnapshot {
    const catalog = this.catalogValue;
    return {
      upstreams: [...this.upstreams.values()].map((u) => u.snapshot()),
      tools: catalog.tools.length,
      prompts: catalog.prompts.length,
      resources: catalog.resources.length,
      renames: catalog.renames,
      withheld: catalog.withheld,
      sessions: this.sessions.counts(),
      rateGuard: this.rateGuard.snapshot(),
    };
  }

  /**
   * Sessions and upstreams close in parallel (issue 7, item 7): with many sessions open, closing them
   * first left no time for upstream teardown before the CLI's forced exit.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.rebuildTimer);
    this.listChanged.close();
    const sessions = async () => {
      this.parked.closeAll();
      await this.sessions.closeAll();
    };
    await Promise.allSettled([sessions(), ...[...this.upstreams.values()].map((u) => u.close())]);
  }
}

export function effectivePrefix(mode: 'always' | 'conditional' | 'never', override: string | undefined, name: string, enabled: number): string {
  if (mode === 'never') return '';
  if (mode === 'conditional' && enabled <= 1) return '';
  return override ?? name;
}

function toolFilter(tools: { allow?: string[]; deny: string[] }): (name: string) => boolean {
  const allow = tools.allow ? globMatcher(tools.allow) : () => true;
  const deny = globMatcher(tools.deny);
  return (name) => allow(name) && !deny(name);
}
