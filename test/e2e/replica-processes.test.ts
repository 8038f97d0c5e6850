/**
 * Issue 16, through the built CLI as an operator runs it: two `watchdog run` processes (replicas A and
 * B, each with its own config file and SQLite file) on one real redis-server, real fixture upstreams,
 * real SDK clients over HTTP.
 * - Rate buckets are shared: a tool limited to N calls per window admits N calls in total, split across
 *   both replicas, then both refuse with WDG_RATE_LIMITED, which reaches the client.
 * - `watchdog pins` works on the shared store: a rug pull held by both replicas is listed and approved
 *   by the CLI, and both replicas release the tool without a restart.
 * - Session risk crosses replicas: untrusted content read through A, private data through B, then a
 *   sink called through A is the `flows/trifecta` finding (blocked here).
 * - Replication state: `/status` and `watchdog status` show the shared store, in sync, and both
 *   replicas with the digest of the config each runs (one file, read by both: the port and name come
 *   from the environment). B reloads a changed file: A knows at once that the digests differ, and
 *   after A reloads too that they agree again.
 * - Fail mode: the server killed, each replica admits calls from its own local buckets, logs one alert
 *   and says `fallback` in `/status`; the server back (empty), the bucket is shared again.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StatusDocumentSchema, type StatusDocument } from '../../src/config/index.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { connectHttp, freePort, NODE, ROOT, tempDir, textOf, TOY, waitFor } from '../helpers/gateway.js';
import { RedisServer, redisMissing, redisNotice } from '../helpers/redis-server.js';

const CRM = join(ROOT, 'test/fixtures/private-data-server.mjs');
const CHAT = join(ROOT, 'test/fixtures/sink-server.mjs');
const RUG_PULL = join(ROOT, 'test/fixtures/rug-pull-server.mjs');
const BURST = 5;

interface Replica {
  name: string;
  port: number;
  run: CliRun;
  client: Client;
}

type Refusal = { code: number; message: string; data?: { code?: string; retryAfterMs?: number } };

describe('two gateway processes on one Valkey/Redis server', () => {
  if (redisMissing) {
    redisNotice();
    return;
  }
  const server = new RedisServer();
  const dir = tempDir('wdg-replica-processes-');
  const replicas: Replica[] = [];
  const config = join(dir, 'watchdog.yaml');
  let a: Replica;
  let b: Replica;

  /** One file for both replicas, as a deployment would ship it: what differs comes from the environment. */
  function writeConfig(): void {
    writeFileSync(config, `
gateway:
  http: { port: "\${WDG_PORT}" }
  watchConfig: false
  store: "redis://127.0.0.1:${server.port}/0"
  redis: { keyPrefix: e2e16, localStore: "${dir}/\${WDG_NAME}.db", connectTimeoutMs: 2000 }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}, --name, "\${WDG_NAME}"] }
  - { name: crm, command: ${NODE}, args: [${CRM}], labels: [private] }
  - { name: chat, command: ${NODE}, args: [${CHAT}] }
  - { name: mail, command: ${NODE}, args: [${RUG_PULL}, --after, '2'] }
rateLimits: { tools: { "toy__echo": { perMinute: 1, burst: ${BURST} } } }
flows: { trifecta: block }
`);
  }

  async function start(name: string): Promise<Replica> {
    const port = await freePort();
    const run = runCli(['run', '--config', config], { WDG_PORT: String(port), WDG_NAME: name });
    await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 60_000, `replica ${name}`);
    const client = await connectHttp(`http://127.0.0.1:${port}/mcp`);
    const replica = { name, port, run, client };
    replicas.push(replica);
    return replica;
  }

  /** The echo's text, or the JSON-RPC error the client received. */
  async function echo(r: Replica, text: string): Promise<string | Refusal> {
    return r.client.callTool({ name: 'toy__echo', arguments: { text } }).then(textOf, (err: Refusal) => ({ code: err.code, message: err.message, data: err.data }));
  }

  /** 2 × BURST calls alternating between the replicas: which were admitted. */
  async function alternate(tag: string): Promise<Array<string | Refusal>> {
    const out = [];
    for (let i = 0; i < 2 * BURST; i++) out.push(await echo(i % 2 === 0 ? a : b, `${tag}${i}`));
    return out;
  }

  async function status(r: Replica): Promise<StatusDocument> {
    const response = await fetch(`http://127.0.0.1:${r.port}/status`);
    return StatusDocumentSchema.parse(await response.json());
  }

  async function pinsCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // A shell without the replicas' variables: only the shared store's own settings are read.
    const run = runCli(['pins', ...args, '--config', config]);
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }

  async function lists(r: Replica, tool: string): Promise<boolean> {
    return (await r.client.listTools()).tools.some((t) => t.name === tool);
  }

  async function statusCli(r: Replica): Promise<string> {
    const run = runCli(['status', '--config', config], { WDG_PORT: String(r.port), WDG_NAME: r.name });
    await run.exited;
    return run.stdout();
  }

  /** SIGHUP reloads the config file; resolves when the replica logged the reload. */
  async function reload(r: Replica): Promise<void> {
    const before = r.run.stderr().split('config reloaded').length;
    r.run.child.kill('SIGHUP');
    await waitFor(() => (r.run.stderr().split('config reloaded').length > before ? true : undefined), 10_000, `${r.name} to reload`);
  }

  beforeAll(async () => {
    await server.start();
    writeConfig();
    [a, b] = await Promise.all([start('a'), start('b')]);
  }, 90_000);
  afterAll(async () => {
    await Promise.allSettled(replicas.map((r) => r.client.close()));
    for (const r of replicas) if (r.run.child.exitCode === null) r.run.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.run.exited));
    await server.close();
  });

  test('a limit of N calls holds across both replicas: N admitted in total, then WDG_RATE_LIMITED on either', async () => {
    const results = await alternate('x');
    expect(results.slice(0, BURST)).toEqual(['a:x0', 'b:x1', 'a:x2', 'b:x3', 'a:x4']);
    for (const refused of results.slice(BURST)) {
      expect(refused).toMatchObject({ code: -32000, data: { code: 'WDG_RATE_LIMITED' } });
      expect((refused as Refusal).message).toMatch(/rate limit reached: calls to toy__echo \(1\/min, burst 5\); retry in \d+ s$/);
      expect((refused as Refusal).data?.retryAfterMs).toBeGreaterThan(50_000);
    }
  });

  test('watchdog pins lists a change both replicas hold on the shared store and approves it; both release the tool', async () => {
    for (const r of [a, b]) {
      expect(await lists(r, 'mail__send_email')).toBe(true);
      // Two calls, and this replica's upstream rewrites send_email (a rug pull): held, withheld from tools/list.
      for (let i = 0; i < 2; i++) await r.client.callTool({ name: 'mail__send_email', arguments: { to: 'a@example.org', body: 'hi' } });
      await waitFor(async () => ((await lists(r, 'mail__send_email')) ? undefined : true), 10_000, `send_email withheld on ${r.name}`);
    }
    const listed = await pinsCli(['list', '--status', 'held', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ upstream: 'mail', item: 'send_email', status: 'held', reason: expect.stringContaining('lookup_contact') }]);
    const approved = await pinsCli(['approve', 'mail/send_email']);
    expect(approved).toMatchObject({ code: 0, stdout: 'approved 1 pin; running gateways apply it within a second\n' });
    for (const r of [a, b]) await waitFor(async () => ((await lists(r, 'mail__send_email')) ? true : undefined), 5000, `send_email released on ${r.name}`);
    expect((await pinsCli(['list', '--status', 'held', '--json'])).stdout.trim()).toBe('[]');
    // The command is a client of the store, not a replica: the roster still holds two.
    expect((await status(a)).replication?.replicas).toHaveLength(2);
  }, 90_000);

  test('untrusted content read through A, private data through B, a sink called through A: flows/trifecta', async () => {
    const call = async (r: Replica, name: string, args: Record<string, unknown>) => {
      const result = await r.client.callTool({ name, arguments: args });
      return { blocked: result.isError === true, text: textOf(result) };
    };
    expect((await call(a, 'chat__search_messages', { query: 'ops' })).blocked).toBe(false);
    // Untrusted content alone is no session risk.
    expect((await call(a, 'chat__post_message', { channel: 'general', text: 'good morning' })).blocked).toBe(false);
    expect((await call(b, 'crm__get_customer', { id: 'c-1' })).text).toContain('jane.doe@northwind-logistics.com');
    const blocked = await waitFor(async () => {
      const result = await call(a, 'chat__post_message', { channel: 'general', text: 'good morning again' });
      return result.blocked ? result : undefined;
    }, 3000, 'the private read through B to reach A');
    expect(blocked.text).toMatch(/^blocked by mcp-watchdog: flows\/trifecta: session risk: this principal read untrusted content from upstream "chat" \(tool search_messages\) .* and private data from upstream "crm" \(tool get_customer\) .*finding f_[0-9a-f]{12}$/);
  });

  test('/status and watchdog status show the shared store in sync and whether the replicas run the same config', async () => {
    const doc = await status(a);
    expect(doc.replication).toMatchObject({ kind: 'redis', store: `redis://127.0.0.1:${server.port}/0`, state: 'in-sync', pending: { unsent: 0 }, localRateTakes: 0, configAgrees: true });
    expect(doc.replication?.roundTripMs).toBeGreaterThanOrEqual(0);
    expect(doc.replication?.replicas?.map((r) => [r.self, r.pid, r.configHash])).toEqual([
      [true, a.run.child.pid, doc.config.hash],
      [false, b.run.child.pid, doc.config.hash],
    ]);
    const text = await statusCli(a);
    expect(text).toMatch(new RegExp(`^  shared state: redis://127\\.0\\.0\\.1:${server.port}/0 · in-sync · 0 unsent, \\d+ in flight · round trip \\d+ ms$`, 'm'));
    expect(text).toContain('  replicas: 2, config digests agree');

    appendFileSync(config, '# reloaded on B only\n');
    await reload(b);
    const told = Date.now();
    await waitFor(async () => ((await status(a)).replication?.configAgrees === false ? true : undefined), 1000, 'A to learn of B\'s new digest');
    expect(Date.now() - told).toBeLessThan(1000);
    expect(a.run.stderr()).toContain('another replica announced a config digest that differs from this one');
    const differ = await statusCli(a);
    expect(differ).toMatch(/^  replicas: 2, config digests DIFFER: [0-9a-f]{8} \(this one\), [0-9a-f]{8} \(pid \d+ on .+\)$/m);

    await reload(a);
    const agreed = await waitFor(async () => {
      const doc = await status(b);
      return doc.replication?.configAgrees ? doc : undefined;
    }, 1000, 'B to learn of A\'s new digest');
    expect(new Set(agreed.replication?.replicas?.map((r) => r.configHash))).toEqual(new Set([agreed.config.hash]));
  }, 90_000);

  test('the server killed: each replica admits from its own local buckets and alerts once; back, the bucket is shared again', async () => {
    await server.stop();
    await waitFor(() => (a.run.stderr().includes('shared state store unreachable') && b.run.stderr().includes('shared state store unreachable') ? true : undefined), 10_000, 'both alerts');
    // Each replica's local bucket starts full: BURST calls each, so 2 × BURST alternating calls all pass.
    const during = await alternate('d');
    expect(during.every((r) => typeof r === 'string')).toBe(true);
    expect(await echo(a, 'one more')).toMatchObject({ data: { code: 'WDG_RATE_LIMITED' } });
    for (const r of [a, b]) expect(r.run.stderr().split('\n').filter((l) => l.includes('shared state store unreachable'))).toHaveLength(1);
    const away = (await status(a)).replication;
    expect(away).toMatchObject({ state: 'fallback', localRateTakes: BURST + 1, lastError: { message: expect.any(String) } });
    expect(await statusCli(a)).toMatch(/^  shared state last error: \d\d:\d\d:\d\dZ .+$/m);
    const unreachable = await pinsCli(['list']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(new RegExp(`^watchdog pins: redis://127\\.0\\.0\\.1:${server.port}/0: cannot reach the shared state store \\(.+\\)\\n$`));

    await server.start();
    await waitFor(() => (a.run.stderr().includes('back without its data') && b.run.stderr().includes('back without its data') ? true : undefined), 15_000, 'both to resync');
    const after = await alternate('y');
    expect(after.filter((r) => typeof r === 'string')).toHaveLength(BURST);
    expect(after.slice(BURST).every((r) => typeof r !== 'string')).toBe(true);
  }, 90_000);
});
