/**
 * Issue 3, acceptance 3: server-everything (a 2025-era stdio server) behind the gateway. Progress keeps
 * the client's token, cancellation stops the upstream call, sampling and elicitation reach a client
 * that declared them (and its answers get back), and structured/resource_link results arrive exactly
 * as a direct connection to the same server returns them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ResultSchema } from '@modelcontextprotocol/core';
import { NODE, ROOT, npmServer, startGateway, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';

const EVERYTHING = npmServer('server-everything');
const CANCEL = join(ROOT, 'test/fixtures/cancel-server.mjs');
const YAML = `
upstreams:
  - name: everything
    command: ${NODE}
    args: [${EVERYTHING}, stdio]
    timeout: 30
  - name: probe
    command: ${NODE}
    args: [${CANCEL}]
gateway:
  prefix: never
  http: { port: 0 }
`;

type Handlers = Record<string, (request: { params?: Record<string, unknown> }) => unknown>;

async function connect(url: string, capabilities: Record<string, unknown>, handlers: Handlers = {}): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities });
  client.setVersionNegotiation({ mode: 'legacy' });
  for (const [method, handler] of Object.entries(handlers)) client.setRequestHandler(method as never, handler as never);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const call = (client: Client, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>, signal?: AbortSignal) =>
  client.request({ method: 'tools/call', params: { name, arguments: args, ...(meta && { _meta: meta }) } }, ResultSchema, { signal, timeout: 30_000 });

describe('server-everything behind the gateway', () => {
  let gw: RunningGateway;
  const clients: Client[] = [];
  beforeAll(async () => {
    gw = await startGateway(YAML);
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await gw.close();
  });

  it('re-tags upstream progress with the client’s own token', async () => {
    const client = await connect(gw.url, {});
    clients.push(client);
    const seen: Array<Record<string, unknown>> = [];
    client.setNotificationHandler('notifications/progress', (n) => void seen.push(n.params as Record<string, unknown>));
    const result = await call(client, 'trigger-long-running-operation', { duration: 0.4, steps: 4 }, { progressToken: 'client-token-7' });
    expect(textOf(result)).toContain('Long running operation completed');
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3, 4]);
    expect(new Set(seen.map((p) => p.progressToken))).toEqual(new Set(['client-token-7']));
  });

  it('cancelling mid-way stops the relay, and the upstream sees its own notifications/cancelled', async () => {
    const client = await connect(gw.url, {});
    clients.push(client);
    const seen: unknown[] = [];
    client.setNotificationHandler('notifications/progress', (n) => void seen.push(n.params));
    const abort = new AbortController();
    const running = call(client, 'trigger-long-running-operation', { duration: 4, steps: 8 }, { progressToken: 'cancel-me' }, abort.signal);
    await waitFor(() => (seen.length >= 2 ? true : undefined), 10_000, 'two progress notifications');
    abort.abort('user cancelled');
    await expect(running).rejects.toThrow();
    const atCancel = seen.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.length).toBe(atCancel);

    const probe = new AbortController();
    const waiting = call(client, 'wait-for-cancel', {}, undefined, probe.signal);
    await new Promise((r) => setTimeout(r, 300));
    probe.abort('stop');
    await expect(waiting).rejects.toThrow();
    const count = await waitFor(async () => {
      const text = textOf(await call(client, 'cancellations'));
      return text === '1' ? text : undefined;
    }, 5000, 'the upstream to count the cancellation');
    expect(count).toBe('1');
  });

  it('relays sampling to a client that declared it and returns its answer to the server', async () => {
    const requests: Array<Record<string, unknown>> = [];
    const client = await connect(gw.url, { sampling: {} }, {
      'sampling/createMessage': (request) => {
        requests.push(request.params ?? {});
        return { role: 'assistant', content: { type: 'text', text: 'sampled-by-the-client' }, model: 'test-model', stopReason: 'endTurn' };
      },
    });
    clients.push(client);
    const result = await call(client, 'trigger-sampling-request', { prompt: 'say hi', maxTokens: 20 });
    expect(requests).toHaveLength(1);
    expect(JSON.stringify(requests[0]?.messages)).toContain('say hi');
    expect(textOf(result)).toContain('sampled-by-the-client');
  });

  it('relays elicitation to a client that declared it and returns its answer to the server', async () => {
    const messages: string[] = [];
    const client = await connect(gw.url, { elicitation: {} }, {
      'elicitation/create': (request) => {
        messages.push(String(request.params?.message));
        return { action: 'accept', content: { name: 'Ada Lovelace' } };
      },
    });
    clients.push(client);
    const result = await call(client, 'trigger-elicitation-request');
    expect(messages).toEqual(['Please provide inputs for the following fields:']);
    expect(textOf(result)).toContain('Name: Ada Lovelace');
  });

  it('refuses a push cleanly when the session did not declare the capability', async () => {
    const client = await connect(gw.url, {});
    clients.push(client);
    const outcome = await call(client, 'trigger-elicitation-request').then(
      (r) => JSON.stringify(r),
      (e: unknown) => String(e),
    );
    expect(outcome).toMatch(/cannot be relayed|-32601|Method not found/);
  });

  it('passes structuredContent and resource_link results byte-for-byte', async () => {
    const direct = new Client({ name: 'direct', version: '1.0.0' }, { capabilities: {} });
    await direct.connect(new StdioClientTransport({ command: NODE, args: [EVERYTHING, 'stdio'] }));
    const viaGateway = await connect(gw.url, {});
    clients.push(viaGateway, direct);
    for (const [tool, args] of [['get-structured-content', { location: 'Chicago' }], ['get-resource-links', { count: 3 }]] as const) {
      const expected = await call(direct, tool, args);
      const actual = await call(viaGateway, tool, args);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    }
    const structured = await call(viaGateway, 'get-structured-content', { location: 'Chicago' });
    expect(structured.structuredContent).toBeDefined();
  });

  it('hides tools that can only run as tasks (no tasks/* forwarding)', async () => {
    const direct = new Client({ name: 'direct', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: {} } });
    await direct.connect(new StdioClientTransport({ command: NODE, args: [EVERYTHING, 'stdio'] }));
    const viaGateway = await connect(gw.url, {});
    clients.push(viaGateway, direct);
    const names = async (c: Client) => ((await c.request({ method: 'tools/list', params: {} }, ResultSchema)).tools as Array<{ name: string }>).map((t) => t.name);
    expect(await names(direct)).toContain('simulate-research-query');
    const listed = await names(viaGateway);
    expect(listed).not.toContain('simulate-research-query');
    expect(listed).toContain('trigger-elicitation-request');
  });
});
