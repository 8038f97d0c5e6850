/**
 * Issue 16: two gateways built through the real root (`createApp`, each with its own SQLite file and its
 * own Valkey clients) on one real redis-server, which requires a password. A pin decision made through
 * one is seen by the other within a second; a remembered flow fingerprint and a baseline written by one
 * are found by the other; a third gateway started later loads the live state. A 2025-11-25 session is
 * answered 404 by the replica that does not hold it (the load balancer's affinity keeps it on its own),
 * while a 2026-07-28 request is served by either. Then the server is
 * killed: both gateways keep serving tool calls, raise one alert each, keep their writes; the server
 * comes back empty (no persistence) and is refilled, and replication works again. The password never
 * appears in a log line.
 */
import { Writable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Pin, PinRef } from '../../src/core/index.js';
import { connectHttp, NODE, startGateway, tempDir, textOf, TOY, waitFor, type RunningGateway } from '../helpers/gateway.js';
import { RecordingMetrics } from '../helpers/recording-metrics.js';
import { openLegacySession, postModern, postRaw } from '../helpers/raw-rpc.js';
import { RedisServer, redisMissing, redisNotice } from '../helpers/redis-server.js';

const PASSWORD = 'valkey-secret-pw-0123';

describe('gateway replicas sharing state on Valkey/Redis', () => {
  if (redisMissing) {
    redisNotice();
    return;
  }
  const server = new RedisServer({ password: PASSWORD });
  const lines: string[] = [];
  const logTo = () =>
    pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString().split('\n').filter((l) => l !== ''));
          done();
        },
      }),
    );
  const metrics = { a: new RecordingMetrics(), b: new RecordingMetrics() };
  const running: RunningGateway[] = [];
  const clients: Client[] = [];
  let a: RunningGateway;
  let b: RunningGateway;

  /** A gateway on the shared store: the password in the URL for one, in gateway.redis for the other. */
  async function replica(name: string, auth: 'url' | 'block', recorder?: RecordingMetrics): Promise<RunningGateway> {
    const dir = tempDir(`wdg-replica-${name}-`);
    const store = auth === 'url' ? `redis://:${PASSWORD}@127.0.0.1:${server.port}/0` : `redis://127.0.0.1:${server.port}/0`;
    const redis = auth === 'url' ? `{ keyPrefix: it16, localStore: ${dir}/local.db }` : `{ keyPrefix: it16, password: "${PASSWORD}", connectTimeoutMs: 2000 }`;
    const gw = await startGateway(`
gateway: { http: { port: 0 }, store: "${store}", redis: ${redis} }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}, --name, ${name}] }
`, { baseDir: dir, log: logTo(), deps: recorder ? { metrics: recorder } : {} });
    running.push(gw);
    return gw;
  }

  async function echo(gw: RunningGateway, text: string): Promise<string> {
    const client = await connectHttp(gw.url);
    clients.push(client);
    return textOf(await client.callTool({ name: 'toy__echo', arguments: { text } }));
  }

  const ref = (item: string): PinRef => ({ upstream: 'toy', identity: 'cafe01', kind: 'tool', item });
  const pin = (item: string, digest: string, held = false): Pin => ({
    ...ref(item),
    approved: { digest, fields: { description: `${digest}-d` } },
    ...(held ? { pending: { digest: `${digest}-next`, fields: {}, status: 'held' as const, reason: 'introduces a URL', since: Date.now() } } : {}),
    firstSeen: Date.now(),
    lastSeen: Date.now(),
  });

  beforeAll(async () => {
    await server.start();
    [a, b] = await Promise.all([replica('a', 'url', metrics.a), replica('b', 'block', metrics.b)]);
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled(running.map((gw) => gw.close()));
    await server.close();
  });

  test('each replica serves, connected to the shared store; the local SQLite file keeps its findings', async () => {
    expect(await echo(a, 'hi')).toBe('a:hi');
    expect(await echo(b, 'hi')).toBe('b:hi');
    expect(a.app.replication?.state()).toMatchObject({ connected: true, inSync: true, unsent: 0 });
    expect(b.app.replication?.state()).toMatchObject({ connected: true, inSync: true, unsent: 0 });
    expect(a.app.store.stats().path).toMatch(/local\.db$/);
    expect(b.app.store.stats().path).toMatch(/mcp-watchdog\/watchdog\.db$/);
  });

  test('a 2025-11-25 session belongs to the replica that opened it (404 elsewhere); a 2026-07-28 request goes anywhere', async () => {
    const session = await openLegacySession(a.url);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const own = await postRaw(a.url, list, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
    expect(own.status).toBe(200);
    const elsewhere = await postRaw(b.url, list, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body?.error?.message).toBe('Session not found');
    for (const gw of [a, b]) {
      const reply = await postModern(gw.url, { id: 2, method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'x' } } });
      expect(textOf(reply.body?.result)).toMatch(/^[ab]:x$/);
    }
  });

  test('a pin held and then approved through one replica is seen by the other within a second', async () => {
    const pins = { a: a.app.ports.pins, b: b.app.ports.pins };
    const before = pins.b.decisions();
    pins.a.put(pin('deploy', 'v1', true));
    await waitFor(() => pins.b.get(ref('deploy'))?.pending?.status, 1000, 'the held pin on b');
    const started = Date.now();
    pins.a.put(pin('deploy', 'v1-next'));
    pins.a.decided();
    await waitFor(() => (pins.b.decisions() > before && pins.b.get(ref('deploy'))?.approved?.digest === 'v1-next' ? true : undefined), 1000, 'the approval on b');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(pins.b.get(ref('deploy'))?.pending).toBeUndefined();
    expect(pins.b.list({ status: 'held' })).toEqual([]);
    pins.b.delete(ref('deploy'));
    await waitFor(() => (pins.a.get(ref('deploy')) === undefined ? true : undefined), 1000, 'the reset on a');
  });

  test('a flow remembered by one replica and a baseline updated on it are found by the other', async () => {
    const origin = { upstream: 'toy', method: 'tools/call', tool: 'toy__echo', session: 's-42' };
    a.app.ports.flows.remember(origin, ['fp-secret-doc', 'fp-other'], Date.now());
    const hits = await waitFor(() => {
      const found = b.app.ports.flows.lookup(['fp-secret-doc']);
      return found.length > 0 ? found : undefined;
    }, 1000, 'the flow on b');
    expect(hits).toEqual([{ fingerprint: 'fp-secret-doc', origin, at: expect.any(Number) }]);
    b.app.ports.baselines.update('toy/echo', { bytes: 120 }, Date.now());
    await waitFor(() => a.app.ports.baselines.get('toy/echo')?.samples, 1000, 'the baseline on a');
  });

  test('a replica started later loads the live state', async () => {
    a.app.ports.pins.put(pin('late', 'v1'));
    await a.app.replication?.flushed();
    const c = await replica('c', 'block');
    expect(c.app.ports.pins.get(ref('late'))?.approved?.digest).toBe('v1');
    expect(c.app.ports.flows.lookup(['fp-other'])).toHaveLength(1);
    expect(c.app.ports.pins.decisions()).toBe(a.app.ports.pins.decisions());
    await c.close();
  });

  test('the store killed: both keep serving and alert once; back empty, it is refilled and replication resumes', async () => {
    await server.stop();
    await waitFor(() => (a.app.replication?.state().connected === false && b.app.replication?.state().connected === false ? true : undefined), 5000, 'both to notice');
    expect(await echo(a, 'during')).toBe('a:during');
    expect(await echo(b, 'during')).toBe('b:during');
    // The echo calls above were remembered by the flows and drift detectors too: count from here.
    const unsent = a.app.replication?.state().unsent ?? 0;
    a.app.ports.pins.put(pin('outage', 'kept'));
    a.app.ports.pins.decided();
    expect(a.app.ports.pins.get(ref('outage'))?.approved?.digest).toBe('kept');
    expect(a.app.replication?.state().unsent).toBe(unsent + 1);
    await new Promise((r) => setTimeout(r, 1500));
    const alerts = lines.filter((l) => l.includes('shared state store unreachable'));
    expect(alerts).toHaveLength(2);
    expect(metrics.a.counts.filter((c) => c.name === 'store_outages')).toHaveLength(1);
    expect(metrics.b.counts.filter((c) => c.name === 'store_outages')).toHaveLength(1);

    await server.start();
    await waitFor(() => (a.app.replication?.state().inSync && b.app.replication?.state().inSync ? true : undefined), 10_000, 'both to reconnect and resync');
    await waitFor(() => b.app.ports.pins.get(ref('outage'))?.approved?.digest, 2000, 'the outage write on b');
    expect(a.app.replication?.state().unsent).toBe(0);
    expect(lines.filter((l) => l.includes('back without its data: refilled'))).toHaveLength(2);
    const before = a.app.ports.pins.decisions();
    b.app.ports.pins.decided();
    await waitFor(() => (a.app.ports.pins.decisions() > before ? true : undefined), 1000, 'a decision on b reaching a');
    b.app.ports.flows.remember({ upstream: 'toy', method: 'resources/read' }, ['fp-after'], Date.now());
    await waitFor(() => (a.app.ports.flows.lookup(['fp-after']).length === 1 ? true : undefined), 1000, 'a flow after recovery');
    expect(await echo(a, 'after')).toBe('a:after');
  });

  test('the password never appears in a log line', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(PASSWORD))).toEqual([]);
    expect(lines.some((l) => l.includes('redis://:***@127.0.0.1'))).toBe(true);
  });
});
