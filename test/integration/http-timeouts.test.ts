/**
 * Issue 7, item 9: the HTTP front door bounds slow and silent clients but keeps streams open. On real
 * sockets: a body trickled a byte at a time gets 408 (with a JSON-RPC error) and the connection closes
 * within requestTimeoutSeconds plus the one-second check; a connection that never sends a byte and one
 * left idle after a response are closed; an SSE stream stays open well past both bounds, fed by its
 * keep-alive comments.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { httpTimeouts } from '../../src/downstream/http-timeouts.js';

const VERSION = '2025-11-25';
const REQUEST_S = 2;
const IDLE_S = 3;

/** A raw TCP client that records what arrives and when the server closes. */
function rawSocket(url: string): { socket: Socket; received: () => string; closedAt: Promise<number> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = '';
  socket.setEncoding('utf8').on('data', (d: string) => (data += d));
  socket.on('error', () => undefined);
  const closedAt = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  return { socket, received: () => data, closedAt };
}

describe('HTTP timeouts', () => {
  let gw: RunningGateway;
  let path: string;
  beforeAll(async () => {
    // No upstreams, so the idle bound is idleTimeoutSeconds itself (an upstream's timeout would raise it).
    gw = await startGateway(`gateway: { http: { port: 0, requestTimeoutSeconds: ${REQUEST_S}, idleTimeoutSeconds: ${IDLE_S}, keepAliveSeconds: 1 } }\n`);
    path = new URL(gw.url).pathname;
  });
  afterAll(async () => gw?.close());

  it('answers a trickled body with 408 and closes within the bound', async () => {
    const raw = rawSocket(gw.url);
    const started = Date.now();
    raw.socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 10000\r\n\r\n{"jsonrpc":"2.0",`);
    const trickle = setInterval(() => raw.socket.writable && raw.socket.write(' '), 200);
    const closed = await raw.closedAt;
    clearInterval(trickle);
    expect(closed - started).toBeGreaterThanOrEqual(REQUEST_S * 1000 - 100);
    expect(closed - started).toBeLessThan(REQUEST_S * 1000 + 1500);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    const body = JSON.parse(raw.received().slice(raw.received().indexOf('\r\n\r\n') + 4)) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32600);
    expect(body.error.message).toMatch(/requestTimeoutSeconds/);
  });

  it('closes a connection that never sends a request, and one left idle after a response', async () => {
    const silent = rawSocket(gw.url);
    const started = Date.now();
    expect((await silent.closedAt) - started).toBeLessThan(REQUEST_S * 1000 + 1500);

    const idle = rawSocket(gw.url);
    idle.socket.write(`GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const answered = Date.now();
    const closed = await idle.closedAt;
    expect(idle.received()).toMatch(/^HTTP\/1\.1 404/);
    expect(closed - answered).toBeLessThan(IDLE_S * 1000 + 1500);
  });

  it('keeps an SSE stream open longer than either bound', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(gw.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const session = init.headers.get('mcp-session-id')!;
    await init.text();
    const sessionHeaders = { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': VERSION };
    await (await fetch(gw.url, { method: 'POST', headers: sessionHeaders, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();

    const abort = new AbortController();
    const stream = await fetch(gw.url, { method: 'GET', headers: { ...sessionHeaders, accept: 'text/event-stream' }, signal: abort.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const started = Date.now();
    let text = '';
    let ended = false;
    while (Date.now() - started < (IDLE_S + REQUEST_S) * 1000 + 1000) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    expect(ended).toBe(false);
    expect(text).toContain(': keepalive');
  });
});

describe('the idle bound never cuts what may legitimately be silent', () => {
  it('is at least twice the SSE keep-alive and the longest upstream timeout + 10 s', () => {
    expect(httpTimeouts({ requestTimeoutSeconds: 30, idleTimeoutSeconds: 120, keepAliveSeconds: 15 }, 60)).toEqual({
      requestMs: 30_000,
      headersMs: 15_000,
      idleMs: 120_000,
      keepAliveMs: 10_000,
      checkEveryMs: 1000,
    });
    expect(httpTimeouts({ requestTimeoutSeconds: 30, idleTimeoutSeconds: 120, keepAliveSeconds: 90 }, 60).idleMs).toBe(180_000);
    expect(httpTimeouts({ requestTimeoutSeconds: 30, idleTimeoutSeconds: 120, keepAliveSeconds: 15 }, 300).idleMs).toBe(310_000);
  });
});
