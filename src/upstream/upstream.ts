/**
 * One supervised upstream: keeps a shared client connection up, restarts it with exponential backoff
 * (1 s doubling to 30 s; the counter resets after 5 stable minutes), and holds the catalog slice the
 * merged catalog is built from. While it is down its slice is empty, so its tools leave the catalog;
 * a call that still reaches it gets WDG_UPSTREAM_DOWN naming the upstream and its state.
 */
import { ResultSchema } from '@modelcontextprotocol/core';
import { SdkError, SdkErrorCode, type Client } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import { WatchdogError } from '../core/index.js';
import type { UpstreamConfig } from '../config/schema.js';
import { EMPTY_SLICE, fetchList, fetchSlice, type CatalogSlice, type Json } from './catalog-slice.js';
import { openConnection, type Connection } from './connect.js';

export type UpstreamState = 'starting' | 'up' | 'backoff' | 'disabled' | 'closed';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** After this long up, the next failure starts again from `initialMs`. */
  stableMs: number;
}
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, stableMs: 5 * 60_000 };

export interface UpstreamHooks {
  /** The slice changed (connected, disconnected, or an upstream list_changed was refreshed). */
  catalogChanged(upstream: string): void;
  /** Any other upstream notification (resources/updated, message, …). */
  notification(upstream: string, notification: { method: string; params?: Json }): void;
}

export interface UpstreamSnapshot {
  name: string;
  state: UpstreamState;
  transport: 'stdio' | 'http';
  pid?: number;
  restarts: number;
  lastError?: string;
  upSince?: string;
  tools: number;
  prompts: number;
  resources: number;
}

export interface RelayOptions {
  signal?: AbortSignal;
  onprogress?: (progress: Json) => void;
}

const LIST_REFRESH: Record<string, [method: string, key: keyof CatalogSlice & string, field: string]> = {
  'notifications/tools/list_changed': ['tools/list', 'tools', 'tools'],
  'notifications/prompts/list_changed': ['prompts/list', 'prompts', 'prompts'],
  'notifications/resources/list_changed': ['resources/list', 'resources', 'resources'],
};

export class Upstream {
  readonly name: string;
  private stateValue: UpstreamState = 'starting';
  private sliceValue: CatalogSlice = EMPTY_SLICE;
  private connection?: Connection;
  private restarts = 0;
  private failures = 0;
  private lastError?: string;
  private upSince?: number;
  private timer?: NodeJS.Timeout;
  readonly firstAttempt: Promise<void>;
  private settleFirst!: () => void;

  constructor(
    readonly config: UpstreamConfig,
    private readonly log: Logger,
    private readonly hooks: UpstreamHooks,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.name = config.name;
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
      const connection = await openConnection(this.config, this.log, { timeoutMs: this.timeoutMs, prepare: (c) => this.prepare(c) });
      if (this.isClosed()) {
        await connection.client.close();
        return;
      }
      this.connection = connection;
      connection.client.onclose = () => this.lost(connection, 'connection closed');
      this.sliceValue = await fetchSlice(connection.client, this.timeoutMs);
      this.stateValue = 'up';
      this.upSince = Date.now();
      this.lastError = undefined;
      this.log.info({ pid: connection.pid, tools: this.sliceValue.tools.length }, 'upstream up');
      this.hooks.catalogChanged(this.name);
    } catch (err) {
      this.lastError = errorText(err);
      this.log.warn({ err: this.lastError }, 'upstream connection failed');
      const failed = this.connection;
      this.connection = undefined;
      await failed?.client.close().catch(() => undefined);
      this.scheduleRestart();
    } finally {
      this.settleFirst();
    }
  }

  private prepare(client: Client): void {
    client.fallbackNotificationHandler = async (notification) => {
      const refresh = LIST_REFRESH[notification.method];
      if (refresh) await this.refresh(client, refresh);
      else this.hooks.notification(this.name, notification as { method: string; params?: Json });
    };
  }

  private async refresh(client: Client, [method, key, field]: [string, keyof CatalogSlice & string, string]): Promise<void> {
    try {
      const items = await fetchList(client, method, field, this.timeoutMs);
      this.sliceValue = { ...this.sliceValue, [key]: items };
      this.hooks.catalogChanged(this.name);
    } catch (err) {
      this.log.warn({ err: errorText(err) }, `refreshing ${method} failed`);
    }
  }

  private lost(connection: Connection, reason: string): void {
    if (this.connection !== connection || this.stateValue === 'closed') return;
    this.connection = undefined;
    this.lastError = reason;
    this.log.warn({ reason }, 'upstream down');
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

  /** Relays one request verbatim; results are not re-validated (ResultSchema passes every field). */
  async request(method: string, params: Json | undefined, options: RelayOptions = {}): Promise<Json> {
    const client = this.connection?.client;
    if (this.stateValue !== 'up' || !client) throw new WatchdogError('WDG_UPSTREAM_DOWN', { upstream: this.name, state: this.stateValue });
    try {
      return (await client.request({ method, params }, ResultSchema, {
        signal: options.signal,
        timeout: this.timeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: options.onprogress as never,
      })) as Json;
    } catch (err) {
      throw translate(err, this.name, this.timeoutMs);
    }
  }

  snapshot(): UpstreamSnapshot {
    return {
      name: this.name,
      state: this.stateValue,
      transport: 'command' in this.config ? 'stdio' : 'http',
      pid: this.connection?.pid,
      restarts: this.restarts,
      lastError: this.lastError,
      upSince: this.upSince ? new Date(this.upSince).toISOString() : undefined,
      tools: this.sliceValue.tools.length,
      prompts: this.sliceValue.prompts.length,
      resources: this.sliceValue.resources.length,
    };
  }

  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    clearTimeout(this.timer);
    const connection = this.connection;
    this.connection = undefined;
    try {
      await connection?.client.close();
    } finally {
      await connection?.transport.close().catch(() => undefined);
      this.settleFirst();
    }
  }
}

/** Upstream failures become gateway errors; upstream protocol errors (e.g. -32602) pass through as they are. */
function translate(err: unknown, upstream: string, ms: number): unknown {
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout) return new WatchdogError('WDG_UPSTREAM_TIMEOUT', { upstream, ms });
    if (err.code === SdkErrorCode.ConnectionClosed || err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.SendFailed)
      return new WatchdogError('WDG_UPSTREAM_DOWN', { upstream, state: 'disconnected' });
  }
  return err;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
