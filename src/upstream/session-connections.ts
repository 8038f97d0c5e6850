/**
 * Per-session upstream connections (session affinity, issue 3). A 2025-era server that pushes
 * `sampling/createMessage`, `elicitation/create` or `roots/list` gives no hint of which request caused
 * the push, so the only faithful relay is one connection per downstream session: its capabilities
 * mirror that client's `initialize`, and whatever arrives on it belongs to that session alone.
 * Decisions:
 * - Opened lazily, on the session's first request to the upstream, and reused by later ones.
 * - Capped per upstream (each stdio child costs 60-110 MB); past the cap the caller falls back to the
 *   shared connection, where pushes are refused cleanly instead of misrouted.
 * - Released (process group ended) when the downstream session closes or is reaped; a connection that
 *   dies is forgotten, so the session's next request opens a fresh one.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import type { UpstreamConfig } from '../config/schema.js';
import { type Json, PUSH_METHODS, type PushMethod } from '../core/index.js';
import { openConnection, type Connection, type PriorDiscovery, type ProcessHooks } from './connect.js';
import { answerPush, notifyUpstream, onNotification } from './sdk-client.js';

/** The capability a push method needs, for a method name from outside (own keys only: `constructor` is no push). */
export function pushCapability(method: unknown): string | undefined {
  return typeof method === 'string' && Object.hasOwn(PUSH_METHODS, method) ? PUSH_METHODS[method as PushMethod] : undefined;
}

/** Where one session's connection sends what it receives. */
export interface SessionBridge {
  /** The downstream client's declared capabilities (mirrored upstream). */
  capabilities: Json;
  /** Relays a server→client request to the session and resolves with its answer. */
  request(method: PushMethod, params: Json): Promise<Json>;
  /** A notification that is not list_changed (log message, resources/updated). */
  notification(notification: { method: string; params?: Json }): void;
}

export interface SessionConnectionOptions {
  config: UpstreamConfig;
  log: Logger;
  timeoutMs: number;
  /** At most this many per-session connections at once; default 16. */
  max?: number;
  /** The era verdict of the shared connection, reused so no session probes again. */
  prior: () => PriorDiscovery | undefined;  /** Group registry and stderr sink for the processes opened here. */
  process?: ProcessHooks;
}

export class SessionConnections {
  private readonly open = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(private readonly options: SessionConnectionOptions) {}

  get size(): number {
    return this.open.size;
  }

  /** The session's connection (opening it if needed), or undefined when the cap is reached. */
  async client(session: string, bridge: SessionBridge): Promise<Client | undefined> {
    if (this.closed) return undefined;
    let connection = this.open.get(session);
    if (!connection) {
      if (this.open.size >= (this.options.max ?? 16)) {
        this.options.log.warn({ session, max: this.options.max ?? 16 }, 'per-session connection cap reached; using the shared connection');
        return undefined;
      }
      connection = this.connect(session, bridge);
      this.open.set(session, connection);
      const pending = connection;
      pending.catch(() => {
        if (this.open.get(session) === pending) this.open.delete(session);
      });
    }
    return (await connection).client;
  }

  private async connect(session: string, bridge: SessionBridge): Promise<Connection> {
    const { config, log, timeoutMs } = this.options;
    const connection = await openConnection(config, log.child({ session }), {
      timeoutMs,
      prior: this.options.prior(),
      capabilities: mirroredCapabilities(bridge.capabilities),
      prepare: (client) => prepareSessionClient(client, bridge),
      process: this.options.process,
    });
    connection.client.onclose = () => void this.forgetIf(session, connection);
    log.info({ session, pid: connection.pid }, 'per-session upstream connection opened');
    return connection;
  }

  private async forgetIf(session: string, connection: Connection): Promise<void> {
    const stored = this.open.get(session);
    if (stored && (await stored.catch(() => undefined)) === connection) this.open.delete(session);
  }

  /** Sends a notification (e.g. roots/list_changed) on the session's connection, if it has one. */
  async notify(session: string, method: string): Promise<void> {
    const connection = await this.open.get(session)?.catch(() => undefined);
    if (connection) await notifyUpstream(connection.client, method);
  }

  /** Ends the session's connection, if any. */
  async release(session: string): Promise<void> {
    const connection = this.open.get(session);
    if (!connection) return;
    this.open.delete(session);
    const c = await connection.catch(() => undefined);
    if (!c) return;
    try {
      await c.client.close();
    } finally {
      await c.transport.close().catch(() => undefined);
      this.options.log.info({ session }, 'per-session upstream connection closed');
    }
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.open.keys()].map((s) => this.release(s)));
  }
}

/** Only the capabilities the gateway can relay are mirrored (experimental/tasks are not). */
export function mirroredCapabilities(declared: Json): Json {
  const mirrored: Json = {};
  for (const capability of Object.values(PUSH_METHODS)) if (declared[capability] !== undefined) mirrored[capability] = declared[capability];
  return mirrored;
}

/** Registers the bridge's handlers on a connection before its handshake (also used by parked-connections.ts). */
export function prepareSessionClient(client: Client, bridge: SessionBridge): void {
  for (const [method, capability] of Object.entries(PUSH_METHODS) as Array<[PushMethod, string]>) {
    if (bridge.capabilities[capability] === undefined) continue;
    answerPush(client, method, (params) => bridge.request(method, params));
  }
  onNotification(client, (notification) => {
    if (notification.method.endsWith('/list_changed')) return; // the catalog comes from the shared connection
    bridge.notification(notification);
  });
}
