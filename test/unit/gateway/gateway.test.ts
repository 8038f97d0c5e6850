/**
 * The gateway without processes (issue 8 item 6): upstreams come from an injected factory (fakes here),
 * a real SDK client talks to the merged server over an in-memory transport pair, and upstreams are
 * added and removed at run time with list_changed to the connected session.
 */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type UpstreamConfig } from '../../../src/config/index.js';
import type { Envelope, Verdict } from '../../../src/core/index.js';
import { Gateway, type Inspector } from '../../../src/gateway/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { fakeFactory, type FakeScript } from '../../helpers/fake-upstream.js';

const YAML = `
upstreams:
  - name: a
    command: never-spawned-a
  - name: b
    command: never-spawned-b
`;

const config = () => parseConfig(YAML, { file: 'test.yaml', baseDir: '/tmp', env: {} }).config;
const upstreamConfig = (name: string): UpstreamConfig => ({ ...(config().upstreams[0] as UpstreamConfig), name });

let gateway: Gateway | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await gateway?.close();
  client = gateway = undefined;
});

async function connect(scripts: Record<string, FakeScript>, inspector?: Inspector) {
  const factory = fakeFactory(scripts);
  gateway = new Gateway({ config: config(), log: pino({ level: 'silent' }), upstreamFactory: factory, inspector, startWaitMs: 0, debounceMs: 1, clock: new ManualClock() });
  await gateway.start();
  const server = gateway.createServer();
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  gateway.sessions.add('s1', server, () => server.close());
  await server.connect(serverSide);
  client = new Client({ name: 'unit', version: '1.0.0' });
  client.setVersionNegotiation({ mode: 'legacy' });
  const listChanged: string[] = [];
  client.setNotificationHandler('notifications/tools/list_changed', () => void listChanged.push('tools'));
  await client.connect(clientSide);
  return { gw: gateway, client, built: factory.built, listChanged };
}

const toolNames = async (c: Client) => (await c.listTools()).tools.map((t) => t.name).sort();
const text = (result: unknown) => ((result as { content: Array<{ text: string }> }).content[0]?.text ?? '');

async function until(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Gateway with an injected upstream factory', () => {
  it('builds every configured upstream through the factory, merges their tools and routes calls to the owner', async () => {
    const { client: c, built } = await connect({ a: { tools: ['echo'] }, b: { tools: ['echo', 'only_b'] } });
    expect([...built.keys()]).toEqual(['a', 'b']);
    expect(await toolNames(c)).toEqual(['a__echo', 'b__echo', 'b__only_b']);
    const result = await c.callTool({ name: 'b__echo', arguments: { x: 1 } });
    expect(text(result)).toBe('b:echo:{"x":1}');
    expect(built.get('a')?.calls).toEqual([]);
    expect(built.get('b')?.calls).toEqual([{ method: 'tools/call', params: { name: 'echo', arguments: { x: 1 } } }]);
  });

  it('inspects arguments before they leave and results before they arrive', async () => {
    const seen: string[] = [];
    const inspector: Inspector = {
      async inspect(envelope: Envelope): Promise<Verdict> {
        seen.push(`${envelope.direction} ${envelope.method} ${envelope.tool ?? ''}`);
        const text = JSON.stringify(envelope.payload);
        if (envelope.direction === 'to_upstream' && text.includes('evil')) {
          const finding = { id: 'f_000000000001', rule: 'test/evil', severity: 'critical' as const, path: 'arguments.x', reason: 'evil', match: 'evil', action: 'block' as const };
          return { kind: 'block', findings: [finding], reason: 'test/evil: evil', finding };
        }
        return { kind: 'pass', findings: [] };
      },
    };
    const { client: c, built } = await connect({ a: { tools: ['echo'] } }, inspector);
    const blocked = await c.callTool({ name: 'a__echo', arguments: { x: 'evil' } });
    expect(blocked.isError).toBe(true);
    expect(text(blocked)).toBe('blocked by mcp-watchdog: test/evil: evil, finding f_000000000001');
    expect(built.get('a')?.calls).toEqual([]);
    await c.callTool({ name: 'a__echo', arguments: { x: 'fine' } });
    expect(seen.filter((s) => s.includes('tools/call'))).toEqual(['to_upstream tools/call a__echo', 'to_upstream tools/call a__echo', 'to_client tools/call a__echo']);
  });

  it('a call to a tool whose upstream went down names the upstream instead of blaming the request', async () => {
    const { gw, client: c, built } = await connect({ a: { tools: ['echo'] }, b: { tools: ['echo'] }, c: { down: true } });
    built.get('b')?.goDown();
    await until(async () => !(await toolNames(c)).includes('b__echo'));
    await expect(c.callTool({ name: 'b__echo', arguments: {} })).rejects.toThrow('upstream "b" is backoff; try again later');
    expect(gw.snapshot().upstreams.map((u) => [u.name, u.state])).toEqual([['a', 'up'], ['b', 'backoff']]);
  });

  it('adds an upstream at run time: started, its tools listed, the session told', async () => {
    const { gw, client: c, listChanged } = await connect({ a: { tools: ['echo'] }, c: { tools: ['new_tool'] } });
    const added = gw.addUpstream(upstreamConfig('c'));
    expect(added.state).toBe('up');
    await until(async () => (await toolNames(c)).includes('c__new_tool'));
    await until(() => listChanged.length > 0);
    expect(text(await c.callTool({ name: 'c__new_tool', arguments: {} }))).toBe('c:new_tool:{}');
    expect(() => gw.addUpstream(upstreamConfig('c'))).toThrow('upstream "c" already exists');
  });

  it('removes an upstream at run time: its tools leave, calls become unknown, the upstream is closed', async () => {
    const { gw, client: c, built, listChanged } = await connect({ a: { tools: ['echo'] }, b: { tools: ['gone'] } });
    expect(await gw.removeUpstream('b')).toBe(true);
    expect(built.get('b')?.closes).toBe(1);
    expect(await toolNames(c)).toEqual(['a__echo']);
    await until(() => listChanged.length > 0);
    await expect(c.callTool({ name: 'b__gone', arguments: {} })).rejects.toThrow(/unknown tool|not found/i);
    expect(await gw.removeUpstream('b')).toBe(false);
    expect(gw.snapshot().upstreams.map((u) => u.name)).toEqual(['a']);
  });

  it('takes the injected clock as its time source', async () => {
    const clock = new ManualClock(42);
    gateway = new Gateway({ config: config(), log: pino({ level: 'silent' }), upstreamFactory: fakeFactory({}), clock, startWaitMs: 0 });
    expect(gateway.clock.now()).toBe(42);
  });
});
