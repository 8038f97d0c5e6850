/**
 * Issue 3, acceptance 4 and the routing rules: with several downstream sessions on one gateway, each
 * server→client request reaches only the session that caused it, per-session upstream processes end
 * with their session, log messages follow the request in flight under each session's own log level,
 * and resources/updated reaches only sessions subscribed to that URI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ResultSchema } from '@modelcontextprotocol/core';
import { NODE, ROOT, npmServer, startGateway, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';

const EVERYTHING = npmServer('server-everything');
const FIXTURE = join(ROOT, 'test/fixtures/conformance-server.mjs');

type Handlers = Record<string, (request: { params?: Record<string, unknown> }) => unknown>;

async function connect(url: string, capabilities: Record<string, unknown>, handlers: Handlers = {}) {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities });
  client.setVersionNegotiation({ mode: 'legacy' });
  for (const [method, handler] of Object.entries(handlers)) client.setRequestHandler(method as never, handler as never);
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.request({ method: 'tools/call', params: { name, arguments: args } }, ResultSchema, { timeout: 30_000 });

describe('two sessions against one eliciting upstream', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(`upstreams:\n  - name: everything\n    command: ${NODE}\n    args: [${EVERYTHING}, stdio]\ngateway:\n  prefix: never\n  http: { port: 0 }\n`);
  }, 30_000);
  afterAll(() => gw.close());

  it('sends each elicitation only to the session whose call caused it, then ends both per-session upstreams', async () => {
    const asked = { alice: 0, bob: 0 };
    const answer = (who: 'alice' | 'bob') => async () => {
      asked[who] += 1;
      await new Promise((r) => setTimeout(r, 200)); // both calls are in flight at once
      return { action: 'accept', content: { name: who } };
    };
    const alice = await connect(gw.url, { elicitation: {} }, { 'elicitation/create': answer('alice') });
    const bob = await connect(gw.url, { elicitation: {} }, { 'elicitation/create': answer('bob') });
    const [a, b] = await Promise.all([call(alice.client, 'trigger-elicitation-request'), call(bob.client, 'trigger-elicitation-request')]);
    expect(textOf(a)).toContain('Name: alice');
    expect(textOf(a)).not.toContain('Name: bob');
    expect(textOf(b)).toContain('Name: bob');
    expect(asked).toEqual({ alice: 1, bob: 1 });
    const everything = () => gw.app.gateway.snapshot().upstreams.find((u) => u.name === 'everything');
    expect(everything()?.sessionConnections).toBe(2);

    await alice.transport.terminateSession();
    await bob.transport.terminateSession();
    await waitFor(() => (everything()?.sessionConnections === 0 ? true : undefined), 10_000, 'per-session upstreams to be reaped');
    await Promise.allSettled([alice.client.close(), bob.client.close()]);
  });
});

describe('logging and subscriptions per session (2026-07-28 upstream)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(`upstreams:\n  - name: conformance\n    command: ${NODE}\n    args: [${FIXTURE}]\ngateway:\n  prefix: never\n  http: { port: 0 }\n`);
  }, 30_000);
  afterAll(() => gw.close());

  it('speaks the 2026-07-28 era to an upstream that supports it', () => {
    expect(gw.app.gateway.snapshot().upstreams[0]?.era).toBe('modern');
  });

  it('logging/setLevel stays in its session; messages ride the request in flight', async () => {
    const quiet = await connect(gw.url, {});
    const chatty = await connect(gw.url, {});
    const logs = { quiet: [] as unknown[], chatty: [] as unknown[] };
    quiet.client.setNotificationHandler('notifications/message', (n) => void logs.quiet.push(n.params));
    chatty.client.setNotificationHandler('notifications/message', (n) => void logs.chatty.push(n.params));
    await quiet.client.request({ method: 'logging/setLevel', params: { level: 'error' } }, ResultSchema);
    await Promise.all([call(quiet.client, 'test_tool_with_logging'), call(chatty.client, 'test_tool_with_logging')]);
    expect(logs.chatty.length).toBeGreaterThanOrEqual(2);
    expect(logs.quiet).toEqual([]);
    await Promise.allSettled([quiet.client.close(), chatty.client.close()]);
  });

  it('notifications/resources/updated reaches only sessions subscribed to that URI', async () => {
    const subscriber = await connect(gw.url, {});
    const bystander = await connect(gw.url, {});
    const updates = { subscriber: [] as string[], bystander: [] as string[] };
    subscriber.client.setNotificationHandler('notifications/resources/updated', (n) => void updates.subscriber.push(String(n.params.uri)));
    bystander.client.setNotificationHandler('notifications/resources/updated', (n) => void updates.bystander.push(String(n.params.uri)));
    await subscriber.client.request({ method: 'resources/subscribe', params: { uri: 'test://watched-resource' } }, ResultSchema);
    await waitFor(() => (updates.subscriber.length > 0 ? true : undefined), 10_000, 'an update for the subscriber');
    expect(updates.subscriber[0]).toBe('test://watched-resource');
    expect(updates.bystander).toEqual([]);
    await Promise.allSettled([subscriber.client.close(), bystander.client.close()]);
  });
});
