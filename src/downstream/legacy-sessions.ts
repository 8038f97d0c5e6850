/**
 * The 2025-11-25 (sessionful) leg of the HTTP front door: one WebStandardStreamableHTTPServerTransport
 * (driven on Node's request/response by web-exchange.ts, issue 14) and one merged Server per `Mcp-Session-Id`. POST without a session id must be `initialize` (else 400); an
 * unknown session id gets 404 so the client starts over. A session belongs to the principal (token)
 * that opened it (issue 7, item 3): POST, GET (including a `Last-Event-ID` replay of its event log) and
 * DELETE from any other principal get the same 404 as an unknown id, so a token holder can neither use
 * nor end nor detect another's session. Each session holds one slot of the front door's caps from its
 * `initialize` to its end (issue 7, item 6); a full cap answers the `initialize` with 429.
 * Idle sessions are reaped, because clients that vanish never send DELETE: a session is idle when no
 * request or stream of it is open and none ended within `idleMs`. Resumability (2025-11-25
 * "Resumability and Redelivery"): with `sessionEvents`, each session's transport stores its SSE events
 * in its own scope of the in-memory event store (the SDK names every standalone stream alike, so a shared
 * scope would replay one session's events to another), and the scope is dropped when the session ends.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInitializeRequest, WebStandardStreamableHTTPServerTransport, type EventStore } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { checkParams, type Gateway } from '../gateway/index.js';
import { principalOf } from './auth.js';
import { sendRpcError } from './http-errors.js';
import { refuseSlot } from './refuse-slot.js';
import type { SessionSlots } from './session-limits.js';
import { serveExchange } from './web-exchange.js';

/** Per-session event stores (src/store MemoryEventStore has this shape). */
export interface SessionEventStores {
  forSession(sessionId: string): EventStore;
  dropSession(sessionId: string): number;
}

export interface LegacySessionOptions {
  gateway: Gateway;
  log: Logger;
  keepAliveMs: number;
  idleMs: number;
  maxBodyBytes: number;
  /** The front door's caps, shared with the modern leg. */
  slots: SessionSlots;
  /** Per-session resumability; a shared store would replay one session's events into another. */
  sessionEvents?: SessionEventStores;
  /** Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  transport: WebStandardStreamableHTTPServerTransport;
  /** The principal that opened the session; the only one that may use it. */
  principal: string;
  /** Gives the session's slot back. */
  release: () => void;
  /** Requests and streams of this session still open. */
  open: number;
  lastSeen: number;
}

export class LegacySessions {
  private readonly entries = new Map<string, Entry>();
  private readonly reaper: NodeJS.Timeout;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: LegacySessionOptions) {
    this.now = options.now ?? Date.now;
    this.reaper = setInterval(() => void this.reapIdle(), Math.min(60_000, options.idleMs));
    this.reaper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string' && sid !== '') {
      const entry = this.entries.get(sid);
      if (!entry || entry.principal !== principalOf(req)) {
        if (entry) this.options.log.warn({ session: sid, principal: principalOf(req), method: req.method }, "refused a request for another principal's session");
        return sendRpcError(res, 404, -32001, 'Session not found');
      }
      this.track(entry, res);
      return serveExchange(req, res, (request, options) => entry.transport.handleRequest(request, options), body);
    }
    if (req.method === 'POST' && isInitializeRequest(body)) return this.open(req, res, body);
    const invalid = req.method === 'POST' ? invalidInitialize(body) : undefined;
    if (invalid) return sendRpcError(res, 400, -32602, invalid.message, {}, invalid.id);
    return sendRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
  }

  /** The session is busy until this response ends; its idle time starts then. */
  private track(entry: Entry, res: ServerResponse): void {
    entry.open++;
    entry.lastSeen = this.now();
    res.once('close', () => {
      entry.open--;
      entry.lastSeen = this.now();
    });
  }

  private async open(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const { gateway, log } = this.options;
    const principal = principalOf(req);
    const slot = this.options.slots.take(principal);
    if ('refused' in slot) return refuseSlot(res, log, principal, slot.refused, body);
    const server = gateway.createServer();
    // The id is chosen before the transport exists, so its event store can be scoped to it.
    const sessionId = randomUUID();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      eventStore: this.options.sessionEvents?.forSession(sessionId),
      keepAliveMs: this.options.keepAliveMs,
      maxRequestBodySize: this.options.maxBodyBytes,
      onsessioninitialized: (id) => {
        const entry: Entry = { transport, principal, release: slot.release, open: 0, lastSeen: this.now() };
        this.entries.set(id, entry);
        this.track(entry, res);
        gateway.sessions.add(id, server, () => transport.close());
        log.info({ session: id, principal }, 'session opened');
      },
      onsessionclosed: (id) => this.forget(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.forget(transport.sessionId);
    };
    try {
      await server.connect(transport);
      await serveExchange(req, res, (request, options) => transport.handleRequest(request, options), body);
    } finally {
      // An initialize that did not open a session (invalid, or the connection dropped) gives its slot back.
      if (!this.entries.has(sessionId)) slot.release();
    }
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.release();
    this.options.gateway.sessions.remove(id);
    this.dropEvents(id);
    this.options.log.info({ session: id }, 'session closed');
  }

  private dropEvents(id: string): void {
    try {
      this.options.sessionEvents?.dropSession(id);
    } catch (err) {
      this.options.log.debug({ session: id, err: String(err) }, 'dropping session events failed');
    }
  }

  private async reapIdle(): Promise<void> {
    if (this.closed) return;
    const cutoff = this.now() - this.options.idleMs;
    for (const [id, entry] of this.entries) {
      if (entry.open > 0 || entry.lastSeen >= cutoff) continue;
      this.options.log.info({ session: id }, 'reaping idle session');
      this.forget(id);
      await entry.transport.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.reaper);
    const all = [...this.entries.entries()];
    this.entries.clear();
    await Promise.allSettled(
      all.map(([id, e]) => {
        e.release();
        this.options.gateway.sessions.remove(id);
        this.dropEvents(id);
        return e.transport.close();
      }),
    );
  }
}

/** An `initialize` request whose params do not fit the spec (issue 7, item 16): its -32602 error and id. */
function invalidInitialize(body: unknown): { message: string; id: string | number | null } | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { method, params, id } = body as { method?: unknown; params?: unknown; id?: unknown };
  if (method !== 'initialize') return undefined;
  try {
    checkParams('initialize', params);
  } catch (err) {
    return { message: (err as Error).message, id: typeof id === 'string' || typeof id === 'number' ? id : null };
  }
  return undefined;
}
