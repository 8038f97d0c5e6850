/**
 * Parked connections (issue 3): the pool a 2025-era upstream's calls from stateless 2026-07-28
 * clients run on, so the upstream's pushes (`elicitation/create`, `sampling/createMessage`,
 * `roots/list`) can be turned into `input_required` rounds (gateway/era-bridge/parking.ts).
 * Contract:
 * - A lease is exclusive: a legacy push carries no hint of the call that caused it, so a connection
 *   serves one call at a time and whatever arrives on it belongs to the lease holder's `sink`.
 * - Connections are keyed by the capability set they declare upstream (mirrored from the modern
 *   client's `_meta`, so the upstream sees what the real client can answer), opened lazily, reused
 *   by later leases with the same set, capped per upstream (default 8; past the cap `lease` answers
 *   undefined and the caller uses the shared connection) and closed after an idle minute.
 * - A lease released as not reusable (the call expired, was cancelled or the connection failed)
 *   closes its connection, so an upstream still busy with an abandoned call never serves another.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import type { UpstreamConfig } from '../config/schema.js';
import { type Json, type PushMethod, WatchdogError } from '../core/index.js';
import { openConnection, type Connection, type PriorDiscovery, type ProcessHooks } from './connect.js';
import { mirroredCapabilities, prepareSessionClient } from './session-connections.js';

/** Where pushes and notifications arriving on a leased connection go. */
export interface LeaseSink {
  request(method: PushMethod, params: Json): Promise<Json>;
  notification(notification: { method: string; params?: Json }): void;
}

export interface ParkedLease {
  readonly client: Client;
  bind(sink: LeaseSink): void;
  /** Back to the pool (reusable) or closed; idempotent. */
  release(reusable: boolean): Promise<void>;
}

export interface ParkedConnectionOptions {
  config: UpstreamConfig;
  log: Logger;
  timeoutMs: number;
  prior: () => PriorDiscovery | undefined;
  /** Connections per upstream, leased or idle; default 8. */
  max?: number;
  /** An idle connection is closed after this long; default 60 s. */
  idleMs?: number;  /** Group registry and stderr sink for the processes opened here. */
  process?: ProcessHooks;
}

interface Pooled {
  key: string;
  connection?: Connection;
  sink?: LeaseSink;
  idleSince?: number;
}

export class ParkedConnections {
  private readonly pooled = new Set<Pooled>();
  private readonly idle = new Map<string, Pooled[]>();
  private reaper?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ParkedConnectionOptions) {}

  get size(): number {
    return this.pooled.size;
  }

  private get idleMs(): number {
    return this.options.idleMs ?? 60_000;
  }

  /** An exclusive connection declaring `capabilities` (mirrored), or undefined when closed or at the cap. */
  async lease(capabilities: Json): Promise<ParkedLease | undefined> {
    if (this.closed) return undefined;
    const mirrored = mirroredCapabilities(capabilities);
    const key = JSON.stringify(Object.keys(mirrored).sort().map((k) => [k, mirrored[k]]));
    const reused = this.idle.get(key)?.pop();
    if (reused) return this.leaseOf(reused);
    const max = this.options.max ?? 8;
    if (this.pooled.size >= max) {
      this.options.log.info({ max }, 'parked connection cap reached');
      return undefined;
    }
    const entry: Pooled = { key };
    this.pooled.add(entry);
    try {
      entry.connection = await this.open(entry, mirrored);
    } catch (err) {
      this.pooled.delete(entry);
      throw err;
    }
    this.startReaper();
    return this.leaseOf(entry);
  }

  private async open(entry: Pooled, mirrored: Json): Promise<Connection> {
    const refuse = (method: string): Promise<Json> =>
      Promise.reject(new WatchdogError('WDG_UNROUTABLE_REQUEST', { method, upstream: this.options.config.name, reason: 'no call is parked on this connection' }));
    const connection = await openConnection(this.options.config, this.options.log.child({ parked: entry.key }), {
      timeoutMs: this.options.timeoutMs,
      process: this.options.process,
      prior: this.options.prior(),
      capabilities: mirrored,
      prepare: (client) =>
        prepareSessionClient(client, {
          capabilities: mirrored,
          request: (method, params) => entry.sink?.request(method, params) ?? refuse(method),
          notification: (n) => entry.sink?.notification(n),
        }),
    });
    connection.client.onclose = () => this.forget(entry);
    this.options.log.info({ pid: connection.pid, capabilities: entry.key }, 'parked upstream connection opened');
    return connection;
  }

  private leaseOf(entry: Pooled): ParkedLease {
    entry.idleSince = undefined;
    const connection = entry.connection as Connection;
    let released = false;
    return {
      client: connection.client,
      bind: (sink) => (entry.sink = sink),
      release: async (reusable) => {
        if (released) return;
        released = true;
        entry.sink = undefined;
        if (reusable && !this.closed && this.pooled.has(entry)) {
          entry.idleSince = Date.now();
          this.idle.set(entry.key, [...(this.idle.get(entry.key) ?? []), entry]);
          return;
        }
        await this.end(entry);
      },
    };
  }

  private forget(entry: Pooled): void {
    this.pooled.delete(entry);
    const rest = (this.idle.get(entry.key) ?? []).filter((e) => e !== entry);
    if (rest.length > 0) this.idle.set(entry.key, rest);
    else this.idle.delete(entry.key);
  }

  private async end(entry: Pooled): Promise<void> {
    this.forget(entry);
    const connection = entry.connection;
    if (!connection) return;
    try {
      await connection.client.close();
    } finally {
      await connection.transport.close().catch(() => undefined);
      this.options.log.info({ pid: connection.pid }, 'parked upstream connection closed');
    }
  }

  private startReaper(): void {
    if (this.reaper) return;
    this.reaper = setInterval(() => void this.reapIdle(), Math.max(1000, Math.floor(this.idleMs / 2)));
    this.reaper.unref();
  }

  private async reapIdle(): Promise<void> {
    if (this.closed) return;
    const cutoff = Date.now() - this.idleMs;
    const stale = [...this.idle.values()].flat().filter((e) => (e.idleSince ?? Infinity) < cutoff);
    await Promise.allSettled(stale.map((e) => this.end(e)));
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    await Promise.allSettled([...this.pooled].map((e) => this.end(e)));
  }
}
