/**
 * Issue 16, through the built CLI as an operator runs it: two `watchdog run` processes (replicas A and
 * B, each with its own config file and SQLite file) on one real redis-server, real fixture upstreams,
 * real SDK clients over HTTP.
 * - Rate buckets are shared: a tool limited to N calls per window admits N calls in total, split across
 *   both replicas, then both refuse with WDG_RATE_LIMITED, which reaches the client.
 * - Session risk crosses replicas: untrusted content read through A, private data through B, then a
 *   sink called through A is the `flows/trifecta` finding (blocked here).
 * - Fail mode: the server killed, each replica admits calls from its own local buckets and logs one
 *   alert; the server back (empty), the bucket is shared again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { connectHttp, freePort, NODE, ROOT, tempDir, textOf, TOY, waitFor } from '../helpers/gateway.js';
import { RedisServer, redisMissing, redisNotice } from '../helpers/redis-server.js';

const CRM = join(ROOT, 'test/fixtures/private-data-server.mjs');
const CHAT = join(ROOT, 'test/fixtures/sink-server.mjs');
const BURST = 5;

interface Replica {
  name: string;
  config: string;
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
  let a: Replica;
  let b: Replica;

  function configOf(name: string, port: number, extra = ''): string {
    return `
gateway:
  http: { port: ${port} }
  watchConfig: false
  store: "redis://127.0.0.1:${server.port}/0"
  redis: { keyPrefix: e2e16, localStore: ${join(dir, `${name}.db`)}, connectTimeoutMs: 2000 }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}, --name, ${name}] }
  - { name: crm, command: ${NODE}, args: [${CRM}], labels: [private] }
  - { name: chat, command: ${NODE}, args: [${CHAT}] }
rateLimits: { tools: { "toy__echo": { perMinute: 1, burst: ${BURST} } } }
flows: { trifecta: block }
${extra}`;
  }

  async function start(name: string): Promise<Replica> {
    const port = await freePort();
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, configOf(name, port));
    const run = runCli(['run', '--config', config]);
    await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 30_000, `replica ${name}`);
    const client = await connectHttp(`http://127.0.0.1:${port}/mcp`);
    const replica = { name, config, port, run, client };
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

  beforeAll(async () => {
    await server.start();
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

  test('the server killed: each replica admits from its own local buckets and alerts once; back, the bucket is shared again', async () => {
    await server.stop();
    await waitFor(() => (a.run.stderr().includes('shared state store unreachable') && b.run.stderr().includes('shared state store unreachable') ? true : undefined), 10_000, 'both alerts');
    // Each replica's local bucket starts full: BURST calls each, so 2 × BURST alternating calls all pass.
    const during = await alternate('d');
    expect(during.every((r) => typeof r === 'string')).toBe(true);
    expect(await echo(a, 'one more')).toMatchObject({ data: { code: 'WDG_RATE_LIMITED' } });
    for (const r of [a, b]) expect(r.run.stderr().split('\n').filter((l) => l.includes('shared state store unreachable'))).toHaveLength(1);

    await server.start();
    await waitFor(() => (a.run.stderr().includes('back without its data') && b.run.stderr().includes('back without its data') ? true : undefined), 15_000, 'both to resync');
    const after = await alternate('y');
    expect(after.filter((r) => typeof r === 'string')).toHaveLength(BURST);
    expect(after.slice(BURST).every((r) => typeof r !== 'string')).toBe(true);
  });
});
