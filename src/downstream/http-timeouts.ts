/**
 * Time bounds of the HTTP front door (issue 7, item 9: fastify's requestTimeout and connectionTimeout
 * were 0, so a client trickling a body, or holding a silent connection, kept its socket forever).
 * - Whole request (headers and body) within `requestTimeoutSeconds` (30 s), headers within the smaller
 *   of that and 15 s; a slower client gets 408 with a JSON-RPC error and the connection is closed.
 *   Node checks these every second (its default check runs every 30 s, which would triple the bound).
 * - A connection idle between requests is closed after 10 s (HTTP keep-alive timeout).
 * - A connection with no bytes either way for `idleTimeoutSeconds` (120 s) is closed. Streams stay open:
 *   the bound is raised to at least twice the SSE keep-alive interval (every SSE stream carries a
 *   keep-alive comment each `keepAliveSeconds`) and to the longest upstream `timeout` + 10 s, since a
 *   2026-07-28 answer without progress is one JSON body sent only when the upstream answers.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

export interface TimeoutSettings {
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  keepAliveSeconds: number;
}

export interface HttpTimeouts {
  requestMs: number;
  headersMs: number;
  idleMs: number;
  keepAliveMs: number;
  checkEveryMs: number;
}

const HEADERS_MAX_MS = 15_000;
const KEEP_ALIVE_MS = 10_000;
const CHECK_EVERY_MS = 1000;
const UPSTREAM_MARGIN_MS = 10_000;

export function httpTimeouts(settings: TimeoutSettings, longestUpstreamTimeoutSeconds = 0): HttpTimeouts {
  const requestMs = Math.round(settings.requestTimeoutSeconds * 1000);
  const idleMs = Math.max(
    Math.round(settings.idleTimeoutSeconds * 1000),
    Math.round(settings.keepAliveSeconds * 2000),
    longestUpstreamTimeoutSeconds > 0 ? Math.round(longestUpstreamTimeoutSeconds * 1000) + UPSTREAM_MARGIN_MS : 0,
  );
  return {
    requestMs,
    headersMs: Math.min(requestMs, HEADERS_MAX_MS),
    idleMs,
    keepAliveMs: Math.min(KEEP_ALIVE_MS, idleMs),
    checkEveryMs: Math.min(CHECK_EVERY_MS, requestMs),
  };
}

/** The fastify options that apply them. */
export function fastifyTimeoutOptions(t: HttpTimeouts) {
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    http: { headersTimeout: t.headersMs, connectionsCheckingInterval: t.checkEveryMs },
  };
}

/**
 * Answers what Node rejects before a request reaches a route (a timeout, oversized headers, bytes that
 * are not HTTP) with the status and a JSON-RPC error body, then closes the socket.
 */
export function clientErrorHandler(t: HttpTimeouts) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, message] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, `Request Timeout: the request was not received within ${t.requestMs / 1000} s (gateway.http.requestTimeoutSeconds)`]
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request header fields too large']
          : [400, 'Bad Request: malformed HTTP'];
    const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } });
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(err);
  };
}
