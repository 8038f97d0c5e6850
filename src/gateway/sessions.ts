/**
 * Downstream sessions: one low-level Server per legacy HTTP session or stdio connection. The registry
 * fans out list_changed (every session), resources/updated (only sessions subscribed to that URI) and
 * upstream log messages (the sessions with a request in flight to that upstream, else every session;
 * each Server filters by its own session's log level).
 */
import type { Server } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { Json } from '../upstream/index.js';
import { rewriteUri } from './catalog.js';

/** Key of the session that has no MCP session id (the stdio front door). */
export const STDIO_SESSION = 'stdio';

export interface DownstreamSession {
  id: string;
  server: Server;
  subscriptions: Set<string>;
  /** Upstream name → number of requests in flight from this session. */
  inflight: Map<string, number>;
  close(): Promise<void>;
}

export type ListKind = 'tools' | 'prompts' | 'resources';
export type ListChangedListener = (kinds: ListKind[]) => void;

export class SessionRegistry {
  private readonly sessions = new Map<string, DownstreamSession>();
  private readonly listeners = new Set<ListChangedListener>();

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.sessions.size;
  }

  add(id: string, server: Server, close: () => Promise<void>): DownstreamSession {
    const session: DownstreamSession = { id, server, subscriptions: new Set(), inflight: new Map(), close };
    this.sessions.set(id, session);
    return session;
  }

  remove(id: string): void {
    this.sessions.delete(id);
  }

  get(id: string | undefined): DownstreamSession | undefined {
    return this.sessions.get(id ?? STDIO_SESSION);
  }

  /** Extra fan-out targets (the stateless 2026-07-28 front door subscribes here). */
  onListChanged(listener: ListChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async track<T>(sessionId: string | undefined, upstream: string, call: () => Promise<T>): Promise<T> {
    const session = this.get(sessionId);
    if (!session) return call();
    session.inflight.set(upstream, (session.inflight.get(upstream) ?? 0) + 1);
    try {
      return await call();
    } finally {
      const left = (session.inflight.get(upstream) ?? 1) - 1;
      if (left > 0) session.inflight.set(upstream, left);
      else session.inflight.delete(upstream);
    }
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

  relayNotification(upstream: string, notification: { method: string; params?: Json }): void {
    const params = notification.params ?? {};
    if (notification.method === 'notifications/resources/updated') {
      const uri = String(params.uri ?? '');
      const publicUris = new Set([uri, rewriteUri(upstream, uri)]);
      for (const session of this.sessions.values()) {
        const match = [...session.subscriptions].find((u) => publicUris.has(u));
        if (match) session.server.sendResourceUpdated({ ...params, uri: match }).catch(() => undefined);
      }
      return;
    }
    if (notification.method === 'notifications/message') {
      const waiting = [...this.sessions.values()].filter((s) => s.inflight.has(upstream));
      const targets = waiting.length > 0 ? waiting : [...this.sessions.values()];
      for (const session of targets) session.server.sendLoggingMessage({ ...params, logger: params.logger ?? upstream } as never).catch(() => undefined);
      return;
    }
    this.log.debug({ upstream, method: notification.method }, 'upstream notification not relayed');
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => s.close()));
  }
}
