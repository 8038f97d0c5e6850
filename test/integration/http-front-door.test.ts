/**
 * Issue 2, acceptance 6 (HTTP half) and the front-door rules: malformed JSON-RPC gets the proper
 * JSON-RPC/HTTP error and the gateway keeps serving; sessions (400 without id, 404 unknown);
 * DNS-rebinding guard (403); body limit (413); bearer tokens (401) never forwarded upstream.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigSchema } from '../../src/config/index.js';
import { connectHttp, NODE, quietLog, startGateway, textOf, TOY, type RunningGateway } from '../helpers/gateway.js';
import { startHttpUpstream, type HttpUpstream } from '../helpers/http-upstream.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body });
  const text = await res.text();
  // SSE: the message is the data line that is not empty (a resumable stream opens with an empty priming event).
  const sse = text.split('\n').filter((l) => l.startsWith('data: ') && l.length > 6);
  const data = res.headers.get('content-type')?.includes('text/event-stream') ? (sse.length ? JSON.parse(sse[0]!.slice(6)) : undefined) : text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body: data };
}

async function openSession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await post(url, JSON.stringify(INIT), headers);
  expect(res.status).toBe(200);
  const sid = res.headers.get('mcp-session-id')!;
  await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { 'mcp-session-id': sid, ...headers });
  return sid;
}

describe('HTTP front door', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(`
gateway: { http: { port: 0 }, maxBodyBytes: 4096 }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`);
  });
  afterAll(async () => gateway?.close());

  it('answers a body that is not JSON with -32700 and keeps serving', async () => {
    const res = await post(gateway.url, '{not json');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(-32700);
    expect((await post(gateway.url, JSON.stringify(INIT))).status).toBe(200);
  });

  it('rejects a request without a session id (400) and an unknown session id (404)', async () => {
    const noSession = await post(gateway.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    expect(noSession.status).toBe(400);
    expect(noSession.body.error.message).toMatch(/Mcp-Session-Id/);
    const unknown = await post(gateway.url, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }), { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
  });

  it('answers a wrong-shaped message and an unknown method with JSON-RPC errors in a live session', async () => {
    const sid = await openSession(gateway.url);
    const wrong = await post(gateway.url, JSON.stringify({ jsonrpc: '2.0', id: 4, params: 7 }), { 'mcp-session-id': sid });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBeLessThan(-32000);
    const unknown = await post(gateway.url, JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'no/such/method', params: {} }), { 'mcp-session-id': sid });
    expect(unknown.body.error.code).toBe(-32601);
    const list = await post(gateway.url, JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/list', params: {} }), { 'mcp-session-id': sid });
    expect(list.body.result.tools.map((t: { name: string }) => t.name)).toContain('toy__echo');
  });

  it('rejects an oversize body with 413 and a JSON-RPC error', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'x'.repeat(10_000) } } });
    const res = await post(gateway.url, big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe(-32600);
    expect((await post(gateway.url, JSON.stringify(INIT))).status).toBe(200);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding) with 403', async () => {
    // fetch() cannot forge Host; node:http can, as a rebinding page's browser would send it.
    const hostStatus = await new Promise<number>((resolve, reject) => {
      const req = request(gateway.url, { method: 'POST', headers: { ...JSON_HEADERS, host: 'evil.example:8765' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    expect(hostStatus).toBe(403);
    const origin = await post(gateway.url, JSON.stringify(INIT), { origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    expect((await post(gateway.url, JSON.stringify(INIT), { origin: 'http://localhost:3000' })).status).toBe(200);
  });

  it('marks SSE responses unbuffered for reverse proxies', async () => {
    const res = await post(gateway.url, JSON.stringify(INIT));
    expect(res.headers.get('x-accel-buffering')).toBe('no');
  });
});

describe('HTTP front door with tokens', () => {
  const token = 'test-token-0123456789abcdef';
  let remote: HttpUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    remote = await startHttpUpstream('remote');
    gateway = await startGateway(`
gateway: { http: { port: 0 }, auth: { tokens: ["${token}"] } }
upstreams:
  - { name: web, url: "${remote.url}", headers: { X-Upstream-Key: configured } }
`);
  });
  afterAll(async () => {
    await gateway?.close();
    await remote?.close();
  });

  it('requires the bearer token (401 without, served with) and never sends it upstream', async () => {
    const denied = await post(gateway.url, JSON.stringify(INIT));
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(gateway.url, JSON.stringify(INIT), { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);

    const client = await connectHttp(gateway.url, { headers: { authorization: `Bearer ${token}` } });
    expect(textOf(await client.callTool({ name: 'web__shout', arguments: { text: 'x' } }))).toBe('remote:X');
    await client.close();
    expect(remote.seenAuthorization.join(' ')).not.toContain(token);
  });
});

describe('HTTP front door bind check (the config definition of loopback, issue 8)', () => {
  it.each(['127.evil.com', 'localhost.evil.com'])('refuses to bind %s without tokens even when config validation was bypassed', async (host) => {
    const config = ConfigSchema.parse({ gateway: { http: { host, port: 0 } }, upstreams: [] });
    const app = createApp(config, { log: quietLog() });
    try {
      await expect(app.serveHttp()).rejects.toThrow(`refusing to bind ${host} without gateway.auth.tokens`);
    } finally {
      await app.close();
    }
  });
});
