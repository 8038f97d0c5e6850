/**
 * Process-unique session ids and a principal on every envelope (issue 8 item 8): each stdio front door
 * gets its own `stdio-<uuid>` session (not the constant 'stdio'), and the envelopes of its requests
 * carry it; the principal is the local user for stdio and token-less HTTP, and the bearer token's
 * fingerprint for HTTP with tokens. Real front doors, real SDK clients, fake upstreams.
 */
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type GatewayConfig } from '../../../src/config/index.js';
import type { Envelope } from '../../../src/core/index.js';
import { LineTransport, serveHttp, serveStdio } from '../../../src/downstream/index.js';
import { Gateway, type Inspector } from '../../../src/gateway/index.js';
import { fakeFactory } from '../../helpers/fake-upstream.js';

const TOKEN = 'a-long-random-test-token-0123456789abcdef';
const closers: Array<() => Promise<unknown>> = [];
const configs = new WeakMap<Gateway, GatewayConfig>();
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

function gatewayWith(yamlGateway: string, seen: Envelope[]): Gateway {
  const yaml = `${yamlGateway}\nupstreams:\n  - name: a\n    command: never-spawned\n`;
  const { config } = parseConfig(yaml, { file: 't.yaml', baseDir: '/tmp', env: {} });
  const inspector: Inspector = { inspect: async (e) => (seen.push(e), { kind: 'pass', findings: [] }) };
  const gw = new Gateway({ config, log: pino({ level: 'silent' }), upstreamFactory: fakeFactory({ a: { tools: ['echo'] } }), inspector, startWaitMs: 0, localPrincipal: 'user:tester' });
  configs.set(gw, config.gateway);
  closers.push(() => gw.close());
  return gw;
}

async function stdioClient(gw: Gateway): Promise<Client> {
  await gw.start();
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const door = await serveStdio(gw, toServer, toClient, 1 << 20);
  closers.push(() => door.close());
  const client = new Client({ name: 'unit', version: '1.0.0' });
  client.setVersionNegotiation({ mode: 'legacy' });
  await client.connect(new LineTransport(toClient, toServer, 1 << 20));
  closers.push(() => client.close());
  return client;
}

async function httpClient(gw: Gateway, headers: Record<string, string>, legacy: boolean): Promise<Client> {
  await gw.start();
  const door = await serveHttp({ gateway: gw, config: configs.get(gw) as GatewayConfig, log: pino({ level: 'silent' }) });
  closers.push(() => door.close());
  const client = new Client({ name: 'unit', version: '1.0.0' });
  if (legacy) client.setVersionNegotiation({ mode: 'legacy' });
  await client.connect(new StreamableHTTPClientTransport(new URL(door.url), { requestInit: { headers } }));
  closers.push(() => client.close());
  return client;
}

const calls = (seen: Envelope[]) => seen.filter((e) => e.method === 'tools/call');

describe('stdio sessions', () => {
  it('each stdio front door has its own process-unique session id, carried by its envelopes with the local principal', async () => {
    const seenA: Envelope[] = [];
    const seenB: Envelope[] = [];
    const gwA = gatewayWith('', seenA);
    const gwB = gatewayWith('', seenB);
    await (await stdioClient(gwA)).callTool({ name: 'a__echo', arguments: {} });
    await (await stdioClient(gwB)).callTool({ name: 'a__echo', arguments: {} });
    const [a] = [...gwA.sessions.all()];
    const [b] = [...gwB.sessions.all()];
    expect(a?.id).toMatch(/^stdio-[0-9a-f-]{36}$/);
    expect(b?.id).toMatch(/^stdio-[0-9a-f-]{36}$/);
    expect(a?.id).not.toBe(b?.id);
    expect(calls(seenA).map((e) => [e.direction, e.session, e.principal])).toEqual([['to_upstream', a?.id, 'user:tester'], ['to_client', a?.id, 'user:tester']]);
    expect(calls(seenB).every((e) => e.session === b?.id)).toBe(true);
  });
});

describe('HTTP principals', () => {
  const fingerprint = `token:${createHash('sha256').update(TOKEN).digest('hex').slice(0, 12)}`;

  it.each([true, false])('a bearer token is the principal, never the token itself (legacy client: %s)', async (legacy) => {
    const seen: Envelope[] = [];
    const gw = gatewayWith(`gateway: { http: { port: 0 }, auth: { tokens: ['${TOKEN}'] } }`, seen);
    await (await httpClient(gw, { Authorization: `Bearer ${TOKEN}` }, legacy)).callTool({ name: 'a__echo', arguments: {} });
    expect(calls(seen).map((e) => e.principal)).toEqual([fingerprint, fingerprint]);
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    if (legacy) expect(calls(seen)[0]?.session).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('without tokens the principal is the local user', async () => {
    const seen: Envelope[] = [];
    const gw = gatewayWith('gateway: { http: { port: 0 } }', seen);
    await (await httpClient(gw, {}, true)).callTool({ name: 'a__echo', arguments: {} });
    expect(calls(seen).map((e) => e.principal)).toEqual(['user:tester', 'user:tester']);
  });
});
