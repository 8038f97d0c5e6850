/**
 * Issue 11, acceptance 2, through the running gateway with a real flooding server
 * (test/fixtures/flood-server.mjs) and real SDK clients over HTTP: a burst of calls over the limit is
 * refused with WDG_RATE_LIMITED and a retry hint, per principal × tool; a log-message flood and a
 * list_changed flood are throttled (the same floods pass in full with `rateLimits.enabled: false`),
 * and the throttled list still ends up current. Each run of refusals is one finding in the audit log.
 * The counts show in `/status` and in the built CLI's `watchdog status` (run `npm run build` first),
 * whose `--json` output parses with the documented schema.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusDocumentSchema, StatusReportSchema } from '../../src/config/index.js';
import { runCli } from '../helpers/cli.js';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';

const FLOOD = join(ROOT, 'test/fixtures/flood-server.mjs');
const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdefgh';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function yaml(dir: string, rateLimits: string): string {
  return `
gateway: { http: { port: 0 }, auth: { tokens: [${ALICE}, ${BOB}] }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: flood, command: ${NODE}, args: [${FLOOD}] }
rateLimits: ${rateLimits}
`;
}

const LIMITS = `{ calls: { perMinute: 12, burst: 5 }, tools: { "flood__flood": { perMinute: 600, burst: 100 } }, notifications: { logMessages: { perMinute: 60, burst: 50 }, listChanged: { perMinute: 20, burst: 2 } } }`;

/** Counts list_changed at the client while a list flood runs (and how long it watched), then waits until the catalog holds every extra tool. */
async function listFlood(client: Client, count: number): Promise<{ notices: number; ms: number }> {
  let notices = 0;
  client.setNotificationHandler('notifications/tools/list_changed', () => void notices++);
  const started = Date.now();
  await client.callTool({ name: 'flood__flood', arguments: { kind: 'list', count, intervalMs: 20 } });
  await new Promise((r) => setTimeout(r, 500));
  const seen = notices;
  const ms = Date.now() - started;
  await waitFor(async () => ((await client.listTools()).tools.some((t) => t.name === `flood__extra_${count - 1}`) ? true : undefined), 15_000, 'the last extra tool');
  return { notices: seen, ms };
}

async function logFlood(client: Client, count: number): Promise<number> {
  let lines = 0;
  client.setNotificationHandler('notifications/message', () => void lines++);
  await client.callTool({ name: 'flood__flood', arguments: { kind: 'log', count } });
  return lines;
}

describe('rate guards with a real flooding server', () => {
  let gateway: RunningGateway;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    gateway = await startGateway(yaml(tempDir(), LIMITS));
    alice = await connectHttp(gateway.url, { headers: bearer(ALICE) });
    bob = await connectHttp(gateway.url, { headers: bearer(BOB) });
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await gateway?.close();
  });

  const rules = () => gateway.app.store.findings.page({ rule: 'rate-guard' }).findings;

  it('refuses a call burst over the limit with a retry hint, per principal and tool, and admits again after the wait', async () => {
    for (let i = 0; i < 5; i++) expect(textOf(await alice.callTool({ name: 'flood__echo', arguments: { text: `ok ${i}` } }))).toBe(`ok ${i}`);
    const refused = await alice.callTool({ name: 'flood__echo', arguments: { text: 'one too many' } }).then(
      () => undefined,
      (err: { code: number; message: string; data: { code: string; retryAfterMs: number; retryAfterSeconds: number } }) => err,
    );
    expect(refused?.code).toBe(-32000);
    expect(refused?.message).toMatch(/rate limit reached: calls to flood__echo \(12\/min, burst 5\); retry in [1-5] s$/);
    expect(refused?.data.code).toBe('WDG_RATE_LIMITED');
    expect(refused?.data.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.data.retryAfterMs).toBeLessThanOrEqual(5000);
    expect(refused?.data.retryAfterSeconds).toBe(Math.ceil((refused?.data.retryAfterMs ?? 0) / 1000));
    await expect(alice.callTool({ name: 'flood__echo', arguments: { text: 'still too many' } })).rejects.toThrow(/retry in/);
    // Another tool, and another principal on the same tool, have buckets of their own.
    expect(textOf(await alice.callTool({ name: 'flood__other', arguments: { text: 'other tool' } }))).toBe('other tool');
    expect(textOf(await bob.callTool({ name: 'flood__echo', arguments: { text: 'bob' } }))).toBe('bob');
    // Two refusals in a row are one episode: one finding.
    expect(rules().filter((f) => f.rule === 'rate-guard/call-burst')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, refused?.data.retryAfterMs ?? 5000));
    expect(textOf(await alice.callTool({ name: 'flood__echo', arguments: { text: 'after the wait' } }))).toBe('after the wait');
  });

  it('counts the refusals in /status and in `watchdog status` (human and --json, the documented schema)', async () => {
    // A fresh burst on another bucket (bob × flood__other: burst 5), still refusing while we look.
    for (let i = 0; i < 5; i++) await bob.callTool({ name: 'flood__other', arguments: { text: `b ${i}` } });
    await expect(bob.callTool({ name: 'flood__other', arguments: { text: 'over' } })).rejects.toThrow(/retry in/);
    const response = await fetch(`${gateway.url.replace(/\/mcp$/, '')}/status`);
    expect(response.status).toBe(200);
    const document = StatusDocumentSchema.parse(await response.json());
    // Two refusals of alice in the first test, one of bob's now; the first episode ended when alice was admitted again.
    expect(document.upstreams.find((u) => u.name === 'flood')?.rateGuard).toEqual({ callsRefused: 3, notificationsDropped: 0, notificationsDelayed: 0, episodesInProgress: 1 });
    expect(document.rateGuard).toMatchObject({ enabled: true, refused: { calls: 3, notifications: 0 } });

    // The built CLI, both forms at once; on a loaded machine they may start after bob's wait ran out.
    const [json, human] = [runCli(['status', '--url', gateway.url, '--json']), runCli(['status', '--url', gateway.url])];
    expect((await json.exited).code).toBe(0);
    const body = JSON.parse(json.stdout());
    const report = StatusReportSchema.parse(body);
    expect(report).toEqual(body); // nothing outside the schema
    expect(report.gateways[0]?.upstreams[0]?.rateGuard).toMatchObject({ callsRefused: 3, notificationsDropped: 0, notificationsDelayed: 0 });
    expect(report.gateways[0]?.rateGuard?.refused).toEqual({ calls: 3, notifications: 0 });
    expect((await human.exited).code).toBe(0);
    expect(human.stdout()).toMatch(/\n {2}rate guard: on · since start 3 calls refused, 0 notifications dropped or delayed\n {4}flood: 3 calls refused, 0 notifications dropped, 0 delayed, [01] episodes in progress\n/);
  });

  it('drops a log-message flood past its burst', async () => {
    const lines = await logFlood(alice, 400);
    expect(lines).toBeGreaterThanOrEqual(50);
    expect(lines).toBeLessThan(60);
    const flood = rules().filter((f) => f.rule === 'rate-guard/notification-flood' && f.method === 'notifications/message');
    expect(flood).toHaveLength(1);
    const counts = gateway.app.gateway.snapshot().rateGuard.upstreams.find((u) => u.upstream === 'flood');
    expect(counts?.notificationsDropped).toBe(400 - lines);
  });

  it('throttles a list_changed flood and still delivers the final catalog', async () => {
    const { notices, ms } = await listFlood(bob, 100);
    // Burst 2, then one every 3 s (20/min) over the time the flood was watched.
    expect(notices).toBeLessThanOrEqual(2 + Math.ceil(ms / 3000));
    expect(notices).toBeGreaterThanOrEqual(1);
    const counts = gateway.app.gateway.snapshot().rateGuard.upstreams.find((u) => u.upstream === 'flood');
    expect(counts?.notificationsDelayed).toBeGreaterThan(0);
  });
});

describe('the same floods without rate guards (the control)', () => {
  let gateway: RunningGateway;
  let client: Client;

  beforeAll(async () => {
    gateway = await startGateway(yaml(tempDir(), `{ enabled: false }`));
    client = await connectHttp(gateway.url, { headers: bearer(ALICE) });
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  it('passes every log message and many more list_changed', async () => {
    expect(await logFlood(client, 400)).toBe(400);
    const { notices } = await listFlood(client, 100);
    expect(notices).toBeGreaterThanOrEqual(5);
  });
});
