/**
 * One supervised upstream: keeps a shared client connection up, restarts it with exponential backoff
 * (1 s doubling to 30 s; the counter resets after 5 stable minutes), and holds the catalog slice the
 * merged catalog is built from. While it is down its slice is empty, so its tools leave the catalog;
 * a call that still reaches it gets WDG_UPSTREAM_DOWN naming the upstream and its state.
 * Its list_changed notifications are coalesced (list-refresh.ts) and the stderr of all its processes
 * goes through one redacted tail (stderr-tail.ts); both show in `snapshot()` (issue 7).
 */
import { ResultSchema } from '@modelcontextprotocol/core';
import { withInputRequired, type Client } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import { type Json, PUSH_METHODS, type PushMethod, WatchdogError } from '../core/index.js';
import type { UpstreamConfig } from '../config/schema.js';
import { EMPTY_SLICE, fetchList, fetchSlice, splitTaskOnly, type CatalogSlice } from './catalog-slice.js';
import { openConnection, type Connection, type Era, type PriorDiscovery, type ProcessHooks } from './connect.js';
import { DEFAULT_REFRESH_TIMING, ListRefresher, type ListKind, type RefreshCounters, type RefreshTiming } from './list-refresh.js';
import { ModernListen } from './modern-listen.js';
import { ParkedConnections, type ParkedLease } from './parked-connections.js';
import type { ProcessGroups } from './process-groups.js';
import { SessionConnections, type SessionBridge } from './session-connections.js';
import { answerPush, onNotification, progressCallback } from './sdk-client.js';
import { translate, withoutServerIdentity } from './relay-result.js';
import { StderrTail, upstreamRedactor, type RedactText } from './stderr-tail.js';
import { FAILED_AFTER_MS, type UpstreamHealth, type UpstreamSnapshot } from './snapshot.js';

export { FAILED_AFTER_MS, type UpstreamHealth, type UpstreamSnapshot } from './snapshot.js';

export type UpstreamState = 'starting' | 'up' | 'backoff' | 'disabled' | 'closed';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** After this long up, the next failure starts again from `initialMs`. */
  stableMs: number;
}
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, stableMs: 5 * 60_000 };

/** How long close() lets a modern upstream's listen stream end cleanly before closing the connection anyway. */
const LISTEN_CLOSE_MS = 1000;

/** What the composition root hands every upstream besides its config. */
export interface UpstreamOptions {
  backoff?: BackoffOptions;
  /** Registry of live process groups (forced-exit sweep, reaper); absent in tools that spawn one-off connections. */
  groups?: ProcessGroups;
  /** Secret-shape redaction for upstream text that reaches logs (stderr); the configured literals are added here. */
  redact?: RedactText;
  /** Coalescing of list_changed refreshes; default 50 ms debounce, 250 ms between refreshes of one kind. */
  refresh?: RefreshTiming;
}

export interface UpstreamHooks {
  /** The slice changed (connected, disconnected, or an upstream list_changed was refreshed). */
  catalogChanged(upstream: string): void;
  /** Any other upstream notification (resources/updated, message, …). */
  notification(upstream: string, notification: { method: string; params?: Json }): void;
  /**
   * A server→client request on the shared connection, which serves no session in particular; the
   * default refuses it with -32601 (the gateway decides in gateway.ts).
   */
  serverRequest?(upstream: string, method: PushMethod, params: Json): Promise<Json>;
}

/**
 * What the shared connection declares: everything the gateway can relay, so servers that register
 * tools conditionally on client capabilities (server-everything's trigger-* tools) list them all.
 * Pushes that arrive on it cannot be attributed to a session and are refused (see `serverRequest`).
 */
const SHARED_CAPABILITIES = { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } };

export interface RelayOptions {
  signal?: AbortSignal;
  onprogress?: (progress: Json) => void;
  /** A per-session connection (from `sessionClient`) to use instead of the shared one. */
  via?: Client;
  /** `_meta` keys added for a 2026-07-28 upstream: the downstream's capabilities and log level. */
  meta?: Json;
}

const LIST_CHANGED = new Map<string, ListKind>([
  ['notifications/tools/list_changed', 'tools'],
  ['notifications/prompts/list_changed', 'prompts'],
  ['notifications/resources/list_changed', 'resources'],
]);

export class Upstream {
  readonly name: string;
  private stateValue: UpstreamState = 'starting';
  private sliceValue: CatalogSlice = EMPTY_SLICE;
  private connection?: Connection;
  private listen?: ModernListen;
  private prior?: PriorDiscovery;
  private readonly perSession: SessionConnections;
  private readonly process: ProcessHooks;
  private readonly parked: ParkedConnections;
  private restarts = 0;
  private failures = 0;
  private lastError?: { message: string; at: number };
  private failedAttempts = 0;
  /** When the current failing streak began. */
  private failingSince?: number;
  private upSince?: number;
  private timer?: NodeJS.Timeout;
  private readonly backoff: BackoffOptions;
  private readonly stderr: StderrTail;
  /** Error texts can quote what the server said; they reach the log and `watchdog status` redacted. */
  private readonly redact: RedactText;
  private readonly refresher: ListRefresher;
  private readonly changedWhileStarting: ListKind[] = [];
  readonly firstAttempt: Promise<void>;
  private settleFirst!: () => void;

  constructor(
    readonly config: UpstreamConfig,
    private readonly log: Logger,
    private readonly hooks: UpstreamHooks,
    options: UpstreamOptions = {},
  ) {
    this.name = config.name;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    const redact = (this.redact = upstreamRedactor(config, options.redact));
    this.stderr = new StderrTail(log, redact);
    this.refresher = new ListRefresher((kind) => this.refresh(kind), log, options.refresh ?? DEFAULT_REFRESH_TIMING);
    const process = { groups: options.groups, stderr: this.stderr, redact };
    this.perSession = new SessionConnections({ config, log, timeoutMs: this.timeoutMs, prior: () => this.prior, process });
    this.parked = new ParkedConnections({ config, log, timeoutMs: this.timeoutMs, prior: () => this.prior, process });
    this.process = process;
    this.firstAttempt = new Promise((resolve) => (this.settleFirst = resolve));
    if (!config.enabled) {
      this.stateValue = 'disabled';
      this.settleFirst();
    }
  }

  get state(): UpstreamState {
    return this.stateValue;
  }

  get slice(): CatalogSlice {
    return this.sliceValue;
  }

  /** The negotiated era of the shared connection (undefined until it first connects). */
  get era(): Era | undefined {
    return this.connection?.era ?? (this.prior ? (this.prior.kind === 'modern' ? 'modern' : 'legacy') : undefined);
  }

  get timeoutMs(): number {
    return this.config.timeout * 1000;
  }

  private isClosed(): boolean {
    return this.stateValue === 'closed';
  }

  start(): void {
    if (this.stateValue === 'starting') void this.connect();
  }

  private async connect(): Promise<void> {
    this.stateValue = 'starting';
    try {
      const connection = await openConnection(this.config, this.log, {
        timeoutMs: this.timeoutMs,
        prior: this.prior,
        capabilities: SHARED_CAPABILITIES,
        prepare: (c) => this.prepare(c),
        process: this.process,
      });
      if (this.isClosed()) {
        await connection.client.close();
        return;
      }
      this.connection = connection;
      this.prior = connection.prior;
      connection.client.onclose = () => this.lost(connection, 'connection closed');
      if (connection.era === 'modern') {
        this.listen = new ModernListen(connection.client, this.log);
        await this.listen.start();
      }
      this.sliceValue = await fetchSlice(connection.client, this.timeoutMs);
      this.stateValue = 'up';
      this.upSince = Date.now();
      this.lastError = undefined;
      this.failedAttempts = 0;
      this.failingSince = undefined;
      this.log.info({ pid: connection.pid, era: connection.era, tools: this.sliceValue.tools.length, hiddenTaskTools: this.sliceValue.hiddenTaskTools }, 'upstream up');
      this.hooks.catalogChanged(this.name);
      // Lists that changed while the first fetch ran may have been fetched stale: refresh them now.
      for (const kind of this.changedWhileStarting.splice(0)) this.refresher.notify(kind);
    } catch (err) {
      this.changedWhileStarting.length = 0;
      this.lastError = { message: this.redact(errorText(err)), at: Date.now() };
      this.failedAttempts++;
      this.failingSince ??= this.lastError.at;
      this.log.warn({ err: this.lastError.message, stderrTail: this.stderr.lines().slice(-5) }, 'upstream connection failed');
      const failed = this.connection;
      this.connection = undefined;
      await failed?.client.close().catch(() => undefined);
      this.scheduleRestart();
    } finally {
      this.settleFirst();
    }
  }

  private prepare(client: Client): void {
    onNotification(client, (notification) => {
      const kind = LIST_CHANGED.get(notification.method);
      if (kind === undefined) this.hooks.notification(this.name, notification);
      else if (this.connection?.client !== client) return;
      else if (this.stateValue === 'up') this.refresher.notify(kind);
      else if (!this.changedWhileStarting.includes(kind)) this.changedWhileStarting.push(kind);
    });
    for (const method of Object.keys(PUSH_METHODS) as PushMethod[]) {
      answerPush(client, method, async (params) => {
        if (!this.hooks.serverRequest) throw new WatchdogError('WDG_UNROUTABLE_REQUEST', { method, upstream: this.name, reason: 'no downstream session is bound to this connection' });
        return this.hooks.serverRequest(this.name, method, params);
      });
    }
  }

  /** One coalesced refresh (list-refresh.ts); a result that arrives after its connection was lost is dropped. */
  private async refresh(kind: ListKind): Promise<void> {
    const client = this.connection?.client;
    if (!client) return;
    const fetched = await fetchList(client, `${kind}/list`, kind, this.timeoutMs);
    if (this.connection?.client !== client) return;
    const items = kind === 'tools' ? splitTaskOnly(fetched).callable : fetched;
    this.sliceValue = { ...this.sliceValue, [kind]: items };
    this.hooks.catalogChanged(this.name);
  }

  private lost(connection: Connection, reason: string): void {
    if (this.connection !== connection || this.stateValue === 'closed') return;
    this.connection = undefined;
    this.refresher.reset();
    this.changedWhileStarting.length = 0;
    this.listen?.close().catch(() => undefined);
    this.listen = undefined;
    this.lastError = { message: reason, at: Date.now() };
    this.failedAttempts++;
    this.failingSince ??= this.lastError.at;
    this.log.warn({ reason, stderrTail: this.stderr.lines().slice(-5) }, 'upstream down');
    this.sliceValue = EMPTY_SLICE;
    this.hooks.catalogChanged(this.name);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stateValue === 'closed') return;
    if (this.upSince !== undefined && Date.now() - this.upSince >= this.backoff.stableMs) this.failures = 0;
    this.upSince = undefined;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.failures);
    this.failures++;
    this.stateValue = 'backoff';
    this.sliceValue = EMPTY_SLICE;
    this.timer = setTimeout(() => {
      if (this.stateValue !== 'backoff') return;
      this.restarts++;
      void this.connect();
    }, delay);
    this.timer.unref();
  }

  /** The session's own connection when affinity applies (undefined past the cap: use the shared one). */
  sessionClient(session: string, bridge: SessionBridge): Promise<Client | undefined> {
    if (this.stateValue !== 'up') throw new WatchdogError('WDG_UPSTREAM_DOWN', { upstream: this.name, state: this.stateValue });
    return this.perSession.client(session, bridge);
  }

  /**
   * An exclusive connection for one call of a stateless modern client, declaring that client's
   * capabilities (parked-connections.ts); undefined past the cap (use the shared one).
   */
  parkedLease(capabilities: Json): Promise<ParkedLease | undefined> {
    if (this.stateValue !== 'up') throw new WatchdogError('WDG_UPSTREAM_DOWN', { upstream: this.name, state: this.stateValue });
    return this.parked.lease(capabilities);
  }

  /** Forwards a client notification to the session's own connection, if it has one. */
  notifySession(session: string, method: string): Promise<void> {
    return this.perSession.notify(session, method);
  }

  /** Ends a closed downstream session's connection (its process group with it). */
  releaseSession(session: string): Promise<void> {
    return this.perSession.release(session);
  }

  /**
   * Relays one request verbatim; results are not re-validated (ResultSchema passes every field). On a
   * 2026-07-28 connection an `input_required` result comes back as it is (the caller handles it),
   * resource subscriptions become part of the one `subscriptions/listen`, and the upstream's identity
   * is scrubbed from result `_meta` (the client talks to the gateway, not to this server).
   */
  async request(method: string, params: Json | undefined, options: RelayOptions = {}): Promise<Json> {
    const connection = this.connection;
    const client = options.via ?? connection?.client;
    if (this.stateValue !== 'up' || !client) throw new WatchdogError('WDG_UPSTREAM_DOWN', { upstream: this.name, state: this.stateValue });
    const modern = client.getProtocolEra() === 'modern';
    if (modern && this.listen && (method === 'resources/subscribe' || method === 'resources/unsubscribe')) {
      const uri = String(params?.uri ?? '');
      await (method === 'resources/subscribe' ? this.listen.subscribe(uri) : this.listen.unsubscribe(uri));
      return {};
    }
    const sent = modern && options.meta ? { ...params, _meta: { ...options.meta, ...(params?._meta as Json | undefined) } } : params;
    try {
      const result = (await client.request({ method, params: sent }, modern ? withInputRequired(ResultSchema) : ResultSchema, {
        signal: options.signal,
        timeout: this.timeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: progressCallback(options.onprogress),
        ...(modern && { allowInputRequired: true }),
      })) as Json;
      return modern ? withoutServerIdentity(result) : result;
    } catch (err) {
      throw translate(err, this.name, this.timeoutMs);
    }
  }

  /** The reported state (see UpstreamHealth). */
  health(): UpstreamHealth {
    switch (this.stateValue) {
      case 'up':
        return 'ready';
      // A retry after a failure is still "backoff": the upstream is recovering, not starting afresh.
      case 'starting':
      case 'backoff':
        if (this.failedAttempts >= 3 && Date.now() - (this.failingSince ?? Date.now()) >= FAILED_AFTER_MS) return 'failed';
        return this.failedAttempts > 0 ? 'backoff' : 'connecting';
      default:
        return 'disabled';
    }
  }

  snapshot(): UpstreamSnapshot {
    return {
      name: this.name,
      state: this.health(),
      transport: 'command' in this.config ? 'stdio' : 'http',
      pid: this.connection?.pid,
      restarts: this.restarts,
      lastError: this.lastError?.message,
      lastErrorAt: this.lastError ? new Date(this.lastError.at).toISOString() : undefined,
      failedAttempts: this.failedAttempts,
      upSince: this.upSince ? new Date(this.upSince).toISOString() : undefined,
      tools: this.sliceValue.tools.length,
      prompts: this.sliceValue.prompts.length,
      resources: this.sliceValue.resources.length,
      hiddenTaskTools: this.sliceValue.hiddenTaskTools?.length ?? 0,
      era: this.era,
      sessionConnections: this.perSession.size,
      parkedConnections: this.parked.size,
      stderrTail: this.stderr.lines(),
      listChanged: this.refresher.stats,
    };
  }

  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    clearTimeout(this.timer);
    this.refresher.close();
    const connection = this.connection;
    this.connection = undefined;
    // The listen stream is ended first, while its connection still carries the close, but never waited
    // on for long (a pending subscriptions/listen would hold it for the request timeout); then every
    // connection closes at once, as a stubborn process needs its full grace period (about 2 s).
    try {
      await within(this.listen?.close(), LISTEN_CLOSE_MS);
      await Promise.allSettled([this.perSession.closeAll(), this.parked.closeAll(), connection?.client.close()]);
    } finally {
      await connection?.transport.close().catch(() => undefined);
      this.settleFirst();
    }
  }
}

/** Waits for `p` (settled either way) or `ms`, whichever comes first. */
async function within(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p?.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
