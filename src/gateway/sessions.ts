/**
 * Downstream sessions: one low-level Server per legacy HTTP session or stdio connection, plus the
 * requests in flight to each upstream (from sessions and from stateless 2026-07-28 clients alike).
 * Fan-out rules (issue 3):
 * - list_changed: every session (and the modern front door's listeners).
 * - resources/updated: only sessions subscribed to that URI.
 * - upstream `notifications/message`: the requests in flight to that upstream, one per session, on
 *   that request's own stream (`ctx.mcpReq.log`, so each session's `logging/setLevel` — or a modern
 *   request's envelope level — filters it); with nothing in flight, the sessions' standalone streams.
 *   Log levels live in each session's Server, never process-wide.
 * Notifications sent for an in-flight request are awaited before its result goes out, so a response
 * never overtakes its own progress or log messages.
 */
import { randomUUID } from 'node:crypto';
import type { Server, ServerContext } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { Json } from '../core/index.js';
import { rewriteUri } from './catalog.js';
import { logOnRequest, logToSession } from './sdk-server.js';

/**
 * A process-unique id for the session that has no MCP session id (the stdio front door), so two stdio
 * gateways on one store, or two runs of one, never share a session in findings or state (issue 8).
 */
export function newStdioSessionId(): string {
  return `stdio-${randomUUID()}`;
}

export interface DownstreamSession {
  id: string;
  server: Server;
  /** Which front door it came through. */
  transport: 'http' | 'stdio';
  subscriptions: Set<string>;
  close(): Promise<void>;
}

/** One downstream request waiting on one upstream. */
export interface InFlight {
  readonly ctx: ServerContext;
  readonly upstream: string;
  /** Undefined for stateless (2026-07-28) requests. */
  readonly session?: DownstreamSession;
  /** Sends a notification on this request's stream; the result waits for it. */
  notify(notification: { method: string; params?: Json }): void;
  /** Sends an upstream log message on this request's stream, filtered by the downstream's level. */
  log(params: Json): void;
}

export type ListKind = 'tools' | 'prompts' | 'resources';

export interface SessionCount {
  transport: DownstreamSession['transport'];
  /** `modern` when the session negotiated 2026-07-28, else `legacy`. */
  era: 'legacy' | 'modern';
  count: number;
}
export type ListChangedListener = (kinds: ListKind[]) => void;
export type SessionClosedListener = (session: DownstreamSession) => void;

export class SessionRegistry {
  private readonly sessions = new Map<string, DownstreamSession>();
  private readonly flights = new Set<InFlight>();
  private readonly listeners = new Set<ListChangedListener>();
  private readonly closedListeners = new Set<SessionClosedListener>();
  /** The session of requests that carry no MCP session id (stdio), if any. */
  private sessionless?: string;

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.sessions.size;
  }

  /**
   * `sessionless`: requests without an MCP session id belong to this session — the stdio front door's,
   * which is therefore its transport; every other session came through HTTP.
   */
  add(id: string, server: Server, close: () => Promise<void>, options: { sessionless?: boolean } = {}): DownstreamSession {
    const session: DownstreamSession = { id, server, transport: options.sessionless ? 'stdio' : 'http', subscriptions: new Set(), close };
    this.sessions.set(id, session);
    if (options.sessionless) this.sessionless = id;
    return session;
  }

  remove(id: string): void {
    const session = this.sessions.get(id);
    if (!session || !this.sessions.delete(id)) return;
    if (this.sessionless === id) this.sessionless = undefined;
    for (const listener of this.closedListeners) listener(session);
  }

  /** Open sessions grouped by transport and era. */
  counts(): SessionCount[] {
    const groups = new Map<string, SessionCount>();
    for (const s of this.sessions.values()) {
      const era = s.server.getNegotiatedProtocolVersion?.() === '2026-07-28' ? 'modern' : 'legacy';
      const key = `${s.transport}/${era}`;
      const group = groups.get(key) ?? { transport: s.transport, era, count: 0 };
      group.count++;
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  all(): IterableIterator<DownstreamSession> {
    return this.sessions.values();
  }

  get(id: string | undefined): DownstreamSession | undefined {
    const key = id ?? this.sessionless;
    return key === undefined ? undefined : this.sessions.get(key);
  }

  /** Extra fan-out targets (the stateless 2026-07-28 front door subscribes here). */
  onListChanged(listener: ListChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once per session that goes away (closed, deleted or reaped): per-session upstreams end with it. */
  onSessionClosed(listener: SessionClosedListener): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  async track<T>(ctx: ServerContext, upstream: string, call: (flight: InFlight) => Promise<T>): Promise<T> {
    const pending = new Set<Promise<unknown>>();
    const keep = (p: Promise<unknown>) => {
      const settled = p.catch((err: unknown) => this.log.debug({ err: String(err) }, 'notification not delivered'));
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
    };
    const flight: InFlight = {
      ctx,
      upstream,
      session: ctx.mcpReq.envelope === undefined ? this.get(ctx.sessionId) : undefined,
      notify: (n) => keep(ctx.mcpReq.notify(n)),
      log: (params) => keep(logOnRequest(ctx, params, upstream)),
    };
    this.flights.add(flight);
    try {
      return await call(flight);
    } finally {
      this.flights.delete(flight);
      if (pending.size > 0) await Promise.allSettled([...pending]);
    }
  }

  /** The newest request of `session` in flight to `upstream`: the one a server→client request belongs to. */
  origin(session: string, upstream: string): InFlight | undefined {
    let newest: InFlight | undefined;
    for (const f of this.flights) if (f.upstream === upstream && f.session?.id === session) newest = f;
    return newest;
  }

  broadcastListChanged(kinds: ListKind[]): void {
    if (kinds.length === 0) return;
    for (const session of this.sessions.values()) {
      const s = session.server;
      const sends = { tools: () => s.sendToolListChanged(), prompts: () => s.sendPromptListChanged(), resources: () => s.sendResourceListChanged() };
      for (const kind of kinds) sends[kind]().catch((err: unknown) => this.log.debug({ session: session.id, err: String(err) }, 'list_changed not delivered'));
    }
    for (const listener of this.listeners) listener(kinds);
  }

  /**
   * An upstream notification that is not list_changed. `only` restricts it to one session (it came on
   * that session's own upstream connection).
   */
  relayNotification(upstream: string, notification: { method: string; params?: Json }, only?: string): void {
    const params = notification.params ?? {};
    const sessions = only === undefined ? [...this.sessions.values()] : [this.sessions.get(only)].filter((s) => s !== undefined);
    if (notification.method === 'notifications/resources/updated') return this.relayUpdated(upstream, params, sessions);
    if (notification.method === 'notifications/message') return this.relayLog(upstream, params, only, sessions);
    this.log.debug({ upstream, method: notification.method }, 'upstream notification not relayed');
  }

  private relayUpdated(upstream: string, params: Json, sessions: DownstreamSession[]): void {
    const uri = String(params.uri ?? '');
    const publicUris = new Set([uri, rewriteUri(upstream, uri)]);
    for (const session of sessions) {
      const match = [...session.subscriptions].find((u) => publicUris.has(u));
      if (match) session.server.sendResourceUpdated({ ...params, uri: match }).catch(() => undefined);
    }
  }

  private relayLog(upstream: string, params: Json, only: string | undefined, sessions: DownstreamSession[]): void {
    const newest = new Map<unknown, InFlight>();
    for (const f of this.flights) {
      if (f.upstream !== upstream || (only !== undefined && f.session?.id !== only)) continue;
      newest.set(f.session ?? f, f);
    }
    if (newest.size > 0) {
      for (const flight of newest.values()) flight.log(params);
      return;
    }
    for (const session of sessions) logToSession(session.server, params, upstream, session.id === this.sessionless ? undefined : session.id).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    for (const s of all) this.remove(s.id);
    await Promise.allSettled(all.map((s) => s.close()));
  }
}
