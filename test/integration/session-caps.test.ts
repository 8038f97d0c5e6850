/**
 * Issue 7, item 6: HTTP sessions are capped globally and per principal. Past a cap the client gets HTTP
 * 429 with `Retry-After` and a JSON-RPC error naming the cap and its config key, on both protocol eras;
 * a closed session frees its slot. Idle sessions (no open request or stream) are reaped and free theirs;
 * a session holding a stream open is not idle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { NODE, startGateway, TOY, type RunningGateway } from '../helpers/gateway.js';

const TOKENS = ['token-a-0123456789abcdef', 'token-b-0123456789abcdef', 'token-c-0123456789abcdef'] as const;
const [A, B, C] = TOKENS;
const VERSION = '2025-11-25';
type Json = Record<string, unknown>;

function headers(token: string, session?: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(session && { 'mcp-session-id': session, 'mcp-protocol-version': VERSION }),
  };
}

async function post(url: string, token: string, session: string | undefined, message: Json) {
  const res = await fetch(url, { method: 'POST', headers: headers(token, session), body: JSON.stringify(message) });
  const text = await res.text();
  const data = text.split('\n').find((l) => l.startsWith('data: ') && l.length > 6);
  return { res, body: (data ? JSON.parse(data.slice(6)) : text ? JSON.parse(text) : undefined) as Json };
}

const initialize = (id = 1) => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const echo = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'hi' } } };

async function open(url: string, token: string): Promise<string> {
  const { res } = await post(url, token, undefined, initialize());
  expect(res.status).toBe(200);
  const session = res.headers.get('mcp-session-id')!;
  await post(url, token, session, { jsonrpc: '2.0', method: 'notifications/initialized' });
  return session;
}

/** A 2026-07-28 request (stateless: no session; the era in the header and the per-request envelope). */
const discover = (url: string, token: string, id: number) => {
  const _meta = { [PROTOCOL_VERSION_META_KEY]: '2026-07-28', [CLIENT_INFO_META_KEY]: { name: 'raw', version: '1' }, [CLIENT_CAPABILITIES_META_KEY]: {} };
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'server/discover', params: { _meta } });
  return fetch(url, { method: 'POST', headers: { ...headers(token), 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' }, body });
};

const yaml = (extra: string) => `
gateway: { http: { port: 0, ${extra} }, auth: { tokens: [${TOKENS.map((t) => `"${t}"`).join(', ')}] } }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`;

describe('session caps', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(yaml('maxSessions: 3, maxSessionsPerPrincipal: 2'));
  }, 30_000);
  afterAll(async () => gw?.close());

  it('refuses a principal past its share and everyone past the total with 429 and a clear JSON-RPC error', async () => {
    for (let i = 0; i < 5; i++) expect((await discover(gw.url, A, i)).status).toBe(200); // a finished modern request frees its slot // a finished modern request frees its slot
    const a1 = await open(gw.url, A);
    await open(gw.url, A);
    const third = await post(gw.url, A, undefined, initialize(7));
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get('retry-after')).toBe('30');
    expect(third.body).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32000, data: { code: 'WDG_SESSION_LIMIT', limit: 2, setting: 'gateway.http.maxSessionsPerPrincipal' } },
    });
    expect((third.body.error as { message: string }).message).toBe(
      "too many open sessions: this client token's limit of 2 is reached (gateway.http.maxSessionsPerPrincipal); close unused sessions or try again later",
    );

    await open(gw.url, B);
    const full = await post(gw.url, C, undefined, initialize());
    expect(full.res.status).toBe(429);
    expect(full.body).toMatchObject({ error: { data: { limit: 3, setting: 'gateway.http.maxSessions' } } });

    // The 2026-07-28 leg counts against the same caps.
    const modern = await discover(gw.url, C, 8);
    expect(modern.status).toBe(429);
    expect(await modern.json()).toMatchObject({ id: 8, error: { data: { setting: 'gateway.http.maxSessions' } } });

    // Existing sessions keep working; ending one frees its slot.
    expect((await post(gw.url, A, a1, echo)).body).toMatchObject({ result: { content: [{ text: 'toy:hi' }] } });
    const del = await fetch(gw.url, { method: 'DELETE', headers: { authorization: `Bearer ${A}`, 'mcp-session-id': a1, 'mcp-protocol-version': VERSION } });
    expect(del.status).toBe(200);
    await open(gw.url, C);
  });
});

describe('idle sessions', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(yaml('maxSessions: 2, sessionIdleMinutes: 0.01')); // idle after 600 ms
  }, 30_000);
  afterAll(async () => gw?.close());

  it('are reaped and free their slot; a session with an open stream is not idle', async () => {
    const idle = await open(gw.url, A);
    const listening = await open(gw.url, B);
    const stream = new AbortController();
    const get = await fetch(gw.url, { method: 'GET', headers: { ...headers(B, listening), accept: 'text/event-stream' }, signal: stream.signal });
    expect(get.status).toBe(200);
    expect((await post(gw.url, C, undefined, initialize())).res.status).toBe(429);

    await new Promise((r) => setTimeout(r, 2000)); // over three idle times (and reaper rounds), the stream still open
    expect((await post(gw.url, A, idle, echo)).res.status).toBe(404);
    expect((await post(gw.url, B, listening, echo)).body).toMatchObject({ result: { content: [{ text: 'toy:hi' }] } });
    await open(gw.url, C); // the reaped session's slot is free again
    stream.abort();
  });
});
