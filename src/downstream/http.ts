/**
 * The Streamable HTTP front door (fastify). One URL serves both protocol eras: 2025-11-25 clients get
 * sessions (legacy-sessions.ts); 2026-07-28 clients are served statelessly by the SDK's strict handler,
 * one merged Server per request. Before any MCP code runs: Host/Origin validation against DNS
 * rebinding (403), the client-token check when tokens are configured (401; the token names the
 * request's principal, which sessions and sealed state are bound to: auth.ts), the body limit (413),
 * and the nesting limit (json-depth.ts: 400 / -32600, issue 7 item 12). The same listener serves the
 * admin API (admin/routes.ts), behind admin tokens, never client tokens.
 * Binding a non-loopback address without tokens is refused at start-up (config validation and here).
 * Session caps (session-limits.ts): a legacy session holds a slot for its life, a modern request while
 * it is open; past the gateway's or the principal's cap the request gets 429 (issue 7, item 6). Slow
 * requests get 408 and silent connections are closed, streams excepted (http-timeouts.ts, item 9).
 * On the modern leg a request for a method the gateway does not serve is answered 404 / -32601 before
 * dispatch, as the 2026-07-28 transport requires (the merged server's fallback handler answers every
 * method, so the SDK would otherwise answer in-band with 200).
 * Both eras' SDK handlers run on Node's request/response through web-exchange.ts, and the era is told
 * from the parsed body (era-of-request.ts): the SDK's Node adapters cost a timer turn and a re-serialised
 * body per request (issue 14).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/fastify';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { isLoopbackHost, type GatewayConfig } from '../config/index.js';
import { ownValue } from '../core/index.js';
import { isServedMethod, type Gateway } from '../gateway/index.js';
import { registerAdmin, type AdminApi } from './admin/routes.js';
import { principalOf, setPrincipal, tokenChecker, type TokenSource } from './auth.js';
import { isModernPost } from './era-of-request.js';
import { bodyErrorFor, sendRpcError } from './http-errors.js';
import { nestedDeeperThan, TOO_DEEP_MESSAGE } from './json-depth.js';
import { clientErrorHandler, fastifyTimeoutOptions, httpTimeouts, type HttpTimeouts } from './http-timeouts.js';
import { LegacySessions, type SessionEventStores } from './legacy-sessions.js';
import { postLane } from './post-lane.js';
import { refuseSlot } from './refuse-slot.js';
import { SessionSlots, sessionCaps } from './session-limits.js';
import { serveExchange } from './web-exchange.js';

export interface HttpFrontDoorOptions {
  gateway: Gateway;
  config: GatewayConfig;
  log: Logger;
  /** Per-session resumability (MemoryEventStore): each legacy session gets its own view, dropped on close. */
  sessionEvents?: SessionEventStores;
  /** The admin endpoints (admin/routes.ts); absent: not served. */
  admin?: AdminApi;
  /** Tokens in force (a reload replaces them); default: the config's, fixed. */
  tokens?: { client: TokenSource; admin: TokenSource };
  /** Bytes the session caps' defaults are computed from; default: what this process may use (tests). */
  memoryBytes?: number;
  /** The longest `upstreams[].timeout` in seconds: a silent answer may take this long (http-timeouts.ts). */
  longestUpstreamTimeoutSeconds?: number;
}

export interface HttpFrontDoor {
  url: string;
  port: number;
  /** Open slots (legacy sessions and open modern requests) and the caps in force. */
  slots: SessionSlots;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

export async function serveHttp(options: HttpFrontDoorOptions): Promise<HttpFrontDoor> {
  const { gateway, config, log } = options;
  const { http, auth, maxBodyBytes } = config;
  const loopback = isLoopbackHost(http.host);
  if (!loopback && auth.tokens.length === 0) throw new Error(`refusing to bind ${http.host} without gateway.auth.tokens`);

  const timeouts = httpTimeouts(http, options.longestUpstreamTimeoutSeconds);
  // The usual MCP POST is taken before fastify (post-lane.ts); `lane` is set once the route is defined.
  let lane: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  const app = Fastify({
    bodyLimit: maxBodyBytes,
    logger: false,
    forceCloseConnections: true,
    ...fastifyTimeoutOptions(timeouts),
    clientErrorHandler: clientErrorHandler(timeouts),
    serverFactory: (handler) => laneServer(timeouts, (req, res) => lane?.(req, res) || handler(req, res)),
  });
  guardRequests(app, options, loopback);
  const tokens = options.tokens ?? { client: () => auth.tokens, admin: () => auth.adminTokens };
  if (options.admin) registerAdmin(app, options.admin, { loopback, adminTokens: tokens.admin });
  const clientTokens = tokenChecker(tokens.client);

  const slots = new SessionSlots(sessionCaps(http, tokens.client().length > 0, options.memoryBytes));
  log.info({ maxSessions: slots.caps.total, maxSessionsPerPrincipal: slots.caps.perPrincipal }, 'session caps');
  const legacy = new LegacySessions({ gateway, log, slots, keepAliveMs: http.keepAliveSeconds * 1000, idleMs: http.sessionIdleMinutes * 60_000, maxBodyBytes, sessionEvents: options.sessionEvents });
  const modern = createMcpHandler(() => gateway.createModernServer(), { legacy: 'reject', maxRequestBodySize: maxBodyBytes, keepAliveMs: http.keepAliveSeconds * 1000 });
  const stopNotify = gateway.sessions.onListChanged((kinds) => {
    if (kinds.includes('tools')) void modern.notify.toolsChanged();
    if (kinds.includes('prompts')) void modern.notify.promptsChanged();
    if (kinds.includes('resources')) void modern.notify.resourcesChanged();
  });

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: http.path,
    // Client tokens only: an admin token does not open the MCP endpoint. No tokens configured (a
    // loopback bind) means open; a non-loopback bind without tokens never gets this far.
    onRequest: async (request, reply) => {
      if (tokens.client().length === 0) return;
      const principal = clientTokens(request.raw);
      if (principal !== undefined) return setPrincipal(request.raw, principal);
      reply.hijack();
      sendRpcError(reply.raw, 401, -32001, 'Unauthorized: a valid Bearer token is required', { 'WWW-Authenticate': 'Bearer realm="mcp-watchdog"' });
    },
    handler: async (request, reply) => {
      reply.hijack();
      await serveMcp(request.raw, reply.raw, request.body);
    },
  });
  lane = postLane({
    path: http.path,
    bodyLimit: maxBodyBytes,
    allowedHosts: loopback || http.allowedHosts.length > 0 ? [...LOOPBACK_NAMES, ...http.allowedHosts] : undefined,
    allowedOrigins: [...LOOPBACK_NAMES, ...http.allowedHosts, ...http.allowedOrigins],
    tokensRequired: () => tokens.client().length > 0,
    clientTokens,
    serve: (req, res, body) => serveMcp(req, res, body),
  });

  /** The MCP endpoint once a request passed the front door's checks (the fastify route, or the lane). */
  async function serveMcp(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    res.setHeader('X-Accel-Buffering', 'no');
    if (nestedDeeperThan(body)) return sendRpcError(res, 400, -32600, TOO_DEEP_MESSAGE);
    try {
      if (req.method === 'POST' && isModernPost(req, body)) {
        const unserved = unservedRequest(body);
        if (unserved) return sendRpcError(res, 404, -32601, `Method not found: ${unserved.method}`, {}, unserved.id);
        const principal = principalOf(req);
        const slot = slots.take(principal);
        if ('refused' in slot) return refuseSlot(res, log, principal, slot.refused, body);
        try {
          await serveExchange(req, res, modern.fetch, body);
        } finally {
          slot.release();
        }
      } else {
        await legacy.handle(req, res, body);
      }
    } catch (err) {
      log.error({ err: String(err) }, 'HTTP request failed');
      sendRpcError(res, 500, -32603, 'Internal error');
    }
  }

  const address = await app.listen({ host: http.host, port: http.port });
  const port = new URL(address).port;
  const url = `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${port}${http.path}`;
  log.info({ url }, 'listening');

  let closed = false;
  return {
    url,
    port: Number(port),
    slots,
    close: async () => {
      if (closed) return;
      closed = true;
      stopNotify();
      try {
        await legacy.close();
        await modern.close();
      } finally {
        await app.close();
      }
    },
  };
}

/** A single JSON-RPC request for a method nobody serves (notifications and batches pass on). */
function unservedRequest(body: unknown): { method: string; id: string | number } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const method = ownValue(body, 'method');
  const id = ownValue(body, 'id');
  if (typeof method !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) return undefined;
  return isServedMethod(method) ? undefined : { method, id };
}

/** The listener fastify would create (its HTTP/1 server with the same timeouts), with `handle` in front. */
function laneServer(t: HttpTimeouts, handle: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const { http: serverOptions, keepAliveTimeout, requestTimeout, connectionTimeout } = fastifyTimeoutOptions(t);
  const server = createServer(serverOptions, handle);
  server.keepAliveTimeout = keepAliveTimeout;
  server.requestTimeout = requestTimeout;
  server.setTimeout(connectionTimeout);
  return server;
}

function guardRequests(app: FastifyInstance, options: HttpFrontDoorOptions, loopback: boolean): void {
  const { http } = options.config;
  if (loopback || http.allowedHosts.length > 0) app.addHook('onRequest', hostHeaderValidation([...LOOPBACK_NAMES, ...http.allowedHosts]));
  app.addHook('onRequest', originValidation([...LOOPBACK_NAMES, ...http.allowedHosts, ...http.allowedOrigins]));
  app.setErrorHandler((err, _request, reply) => {
    const e = bodyErrorFor(err);
    void reply.code(e.status).header('content-type', 'application/json').send({ jsonrpc: '2.0', id: null, error: { code: e.code, message: e.message } });
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `Not found: the MCP endpoint is ${http.path}` } });
  });
}
