/**
 * Issue 13, acceptance 2: the admin API on the daemon's listener, with a real poisoned upstream and a
 * scripted client session. `/metrics` parses as Prometheus text and its counters move with the
 * session; `/healthz` and `/readyz` answer; `/status` matches the documented schema; `/findings`
 * pages and filters. On a non-loopback bind the admin endpoints need an admin token — a client token
 * does not open them, and an admin token does not open the MCP endpoint.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusDocumentSchema } from '../../src/config/index.js';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, TOY, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

const POISONED = join(ROOT, 'test/fixtures/poisoned-server.mjs');
const CLIENT_TOKEN = 'client-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef0';

const base = (url: string) => url.replace(/\/mcp$/, '').replace('0.0.0.0', '127.0.0.1');
const get = (url: string, path: string, token?: string) => fetch(`${base(url)}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('admin API on a loopback bind', () => {
  let gw: RunningGateway;
  let client: Client;
  const dir = tempDir();

  beforeAll(async () => {
    gw = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: evil, command: ${NODE}, args: [${POISONED}] }
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`, { baseDir: dir });
    client = await connectHttp(gw.url);
  });
  afterAll(async () => {
    await client?.close();
    await gw?.close();
  });

  it('answers /healthz and /readyz, with the readiness checks', async () => {
    const health = await get(gw.url, '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await get(gw.url, '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { config: true, store: true, upstreams: { connecting: 0, ready: 2, backoff: 0, failed: 0, disabled: 0 } } });
  });

  it('counts a scripted session in /metrics: requests by outcome, latency split, findings by rule and action', async () => {
    const before = parsePrometheus(await (await get(gw.url, '/metrics')).text()).samples;
    const ok = { method: 'tools/call', upstream: 'toy', outcome: 'ok' };
    expect(sampleValue(before, 'watchdog_requests_total', ok) ?? 0).toBe(0);

    await client.listTools();
    for (let i = 0; i < 3; i++) expect(textOf(await client.callTool({ name: 'toy__echo', arguments: { text: `hi ${i}` } }))).toContain(`hi ${i}`);
    expect(textOf(await client.callTool({ name: 'evil__fetch_page', arguments: { url: 'https://docs.example' } }))).toMatch(/blocked by mcp-watchdog/);
    expect(textOf(await client.callTool({ name: 'evil__get_config', arguments: {} }))).not.toMatch(/AKIA/);
    await expect(client.callTool({ name: 'toy__nope', arguments: {} })).rejects.toThrow(/unknown tool/);

    const response = await get(gw.url, '/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(await response.text());
    expect(types.get('watchdog_requests_total')).toBe('counter');
    expect(types.get('watchdog_gateway_added_seconds')).toBe('histogram');
    expect(sampleValue(samples, 'watchdog_requests_total', ok)).toBe(3);
    expect(sampleValue(samples, 'watchdog_requests_total', { method: 'tools/call', upstream: 'evil', outcome: 'blocked' })).toBe(1);
    expect(sampleValue(samples, 'watchdog_requests_total', { method: 'tools/call', upstream: 'evil', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'watchdog_requests_total', { method: 'tools/call', upstream: '', outcome: 'error' })).toBe(1);
    expect(sampleValue(samples, 'watchdog_requests_total', { method: 'tools/list', upstream: '', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'watchdog_upstream_seconds_count', { method: 'tools/call', upstream: 'toy' })).toBe(3);
    expect(sampleValue(samples, 'watchdog_gateway_added_seconds_count', { method: 'tools/call' })).toBe(6);
    const upstreamSum = sampleValue(samples, 'watchdog_upstream_seconds_sum', { method: 'tools/call', upstream: 'toy' }) as number;
    expect(upstreamSum).toBeGreaterThan(0);
    expect(sampleValue(samples, 'watchdog_findings_total', { rule: 'secrets/aws-access-key', severity: 'high', action: 'redact' })).toBe(1);
    expect(samples.some((s) => s.name === 'watchdog_findings_total' && s.labels.action === 'block')).toBe(true);
    expect(sampleValue(samples, 'watchdog_upstream_state', { upstream: 'toy', state: 'ready' })).toBe(1);
    expect(sampleValue(samples, 'watchdog_upstream_state', { upstream: 'toy', state: 'backoff' })).toBe(0);
    expect(sampleValue(samples, 'watchdog_upstream_restarts', { upstream: 'evil' })).toBe(0);
    expect(sampleValue(samples, 'watchdog_sessions', { transport: 'http', era: 'legacy' })).toBe(1);
    expect(sampleValue(samples, 'watchdog_store_rows', { table: 'findings' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(samples, 'watchdog_store_bytes')).toBeGreaterThan(0);
  });

  it('/status is the documented document: upstreams, withheld items, sessions, findings, store', async () => {
    const response = await get(gw.url, '/status');
    expect(response.status).toBe(200);
    const body = await response.json();
    const status = StatusDocumentSchema.parse(body);
    expect(status).toEqual(body); // nothing outside the schema
    expect(status.mode).toBe('http');
    expect(status.ready).toBe(true);
    expect(status.upstreams.map((u) => [u.name, u.transport, u.state])).toEqual([['evil', 'stdio', 'ready'], ['toy', 'stdio', 'ready']]);
    expect(status.upstreams[1]?.pid).toBeGreaterThan(0);
    expect(status.upstreams[0]?.withheld.map((w) => w.name)).toContain('important_add');
    expect(status.sessions).toEqual([{ transport: 'http', era: 'legacy', count: 1 }]);
    expect(status.findings.total).toBeGreaterThan(0);
    expect(status.findings.lastHour).toBe(status.findings.total);
    expect(status.findings.byRule.total.some((r) => r.rule === 'secrets/aws-access-key' && r.count === 1)).toBe(true);
    expect(status.store.rows.findings).toBe(status.findings.total);
    expect(status.pins).toEqual({ awaitingApproval: 0, items: [] });
    // A SQLite store: no replicas, nothing pending (issue 16: the same block says how a Redis replica stands).
    expect(status.replication).toEqual({ kind: 'sqlite', store: status.store.path, state: 'local' });
  });

  it('/findings pages and filters, and refuses a malformed query', async () => {
    const high = (await (await get(gw.url, '/findings?severity=high&rule=secrets&since=1h')).json()) as { findings: Array<{ rule: string; upstream: string }> };
    expect(high.findings.map((f) => f.rule)).toEqual(['secrets/aws-access-key']);
    expect(JSON.stringify(high)).not.toContain(['AKIA', 'Q3EGRX7V'].join(''));
    const first = (await (await get(gw.url, '/findings?limit=1&upstream=evil')).json()) as { findings: Array<{ id: string }>; nextCursor?: string };
    expect(first.findings).toHaveLength(1);
    const second = (await (await get(gw.url, `/findings?limit=1&upstream=evil&cursor=${first.nextCursor}`)).json()) as { findings: Array<{ id: string }> };
    expect(second.findings[0]?.id).not.toBe(first.findings[0]?.id);
    for (const bad of ['severity=urgent', 'since=yesterday', 'cursor=abc', 'limit=0', 'what=ever']) expect((await get(gw.url, `/findings?${bad}`)).status, bad).toBe(400);
  });
});

describe('admin API on a non-loopback bind', () => {
  it('needs an admin token: no token and a client token get 401; an admin token does not open /mcp', async () => {
    const dir = tempDir();
    const gw = await startGateway(`
gateway:
  http: { host: 0.0.0.0, port: 0 }
  auth: { tokens: [${CLIENT_TOKEN}], adminTokens: [${ADMIN_TOKEN}] }
  store: ${join(dir, 'watchdog.db')}
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`, { baseDir: dir });
    try {
      for (const path of ['/healthz', '/readyz', '/status', '/metrics', '/findings']) {
        expect((await get(gw.url, path)).status, `${path} without a token`).toBe(401);
        expect((await get(gw.url, path, CLIENT_TOKEN)).status, `${path} with a client token`).toBe(401);
        expect((await get(gw.url, path, ADMIN_TOKEN)).status, `${path} with the admin token`).toBe(200);
      }
      const mcpUrl = base(gw.url) + '/mcp';
      await expect(connectHttp(mcpUrl, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).rejects.toThrow(/401|Unauthorized/);
      const client = await connectHttp(mcpUrl, { headers: { authorization: `Bearer ${CLIENT_TOKEN}` } });
      expect(textOf(await client.callTool({ name: 'toy__echo', arguments: { text: 'x' } }))).toBe('toy:x');
      await client.close();
    } finally {
      await gw.close();
    }
  });

  it('without admin tokens: /status, /metrics, /findings are closed (403) and the probes answer without details', async () => {
    const dir = tempDir();
    const gw = await startGateway(`
gateway:
  http: { host: 0.0.0.0, port: 0 }
  auth: { tokens: [${CLIENT_TOKEN}] }
  store: ${join(dir, 'watchdog.db')}
`, { baseDir: dir });
    try {
      for (const path of ['/status', '/metrics', '/findings']) {
        expect((await get(gw.url, path)).status, path).toBe(403);
        expect((await get(gw.url, path, CLIENT_TOKEN)).status, path).toBe(403);
      }
      expect((await get(gw.url, '/healthz')).status).toBe(200);
      const ready = await get(gw.url, '/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true });
    } finally {
      await gw.close();
    }
  });
});
