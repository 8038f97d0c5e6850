/**
 * Issue 3, parking: a 2025-era upstream that pushes `elicitation/create` during a tool call, and a
 * stateless 2026-07-28 client through the gateway. The push reaches the client as an
 * `input_required` result (seen raw with `autoFulfill: false`, and fulfilled end to end by the
 * SDK's default client), the client's answer reaches the upstream on the retry, and forged,
 * replayed or expired requestState is refused with -32602 while the parked call is cleaned up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { ResultSchema } from '@modelcontextprotocol/core';
import { NODE, ROOT, startGateway, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';

const LEGACY = join(ROOT, 'test/fixtures/legacy-elicit-server.mjs');
const MODERN = { pin: '2026-07-28' } as const;

type Json = Record<string, unknown>;

const gatewayYaml = (protocol: string, timeout = 60) =>
  `upstreams:\n  - name: legacy\n    command: ${NODE}\n    args: [${LEGACY}]\n    protocol: ${protocol}\n    timeout: ${timeout}\ngateway:\n  prefix: never\n  http: { port: 0 }\n`;

async function rawClient(url: string): Promise<Client> {
  const client = new Client({ name: 'raw-client', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: MODERN }, inputRequired: { autoFulfill: false } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** One tools/call that may answer `input_required`; `extra` carries inputResponses / requestState. */
const rawCall = (client: Client, name: string, extra: Json = {}) =>
  client.request({ method: 'tools/call', params: { name, arguments: {}, ...extra } }, withInputRequired(ResultSchema), { allowInputRequired: true, timeout: 20_000 }) as Promise<Json>;

/** The single embedded request of an `input_required` result, with its key. */
function onlyRequest(result: Json): { key: string; request: { method: string; params: Json } } {
  expect(result.resultType).toBe('input_required');
  expect(typeof result.requestState).toBe('string');
  const entries = Object.entries(result.inputRequests as Record<string, { method: string; params: Json }>);
  expect(entries).toHaveLength(1);
  const [key, request] = entries[0] as [string, { method: string; params: Json }];
  return { key, request };
}

const errorCode = (promise: Promise<unknown>) => promise.then(() => 'no error', (err: unknown) => (err as { code?: unknown }).code);

describe('a 2025-era upstream that elicits, behind the gateway, for 2026-07-28 clients', () => {
  let gw: RunningGateway;
  let client: Client;
  const legacy = () => gw.app.gateway.snapshot().upstreams.find((u) => u.name === 'legacy');
  beforeAll(async () => {
    gw = await startGateway(gatewayYaml('auto'));
    client = await rawClient(gw.url);
  }, 30_000);
  afterAll(async () => {
    await client.close().catch(() => undefined);
    await gw.close();
  });

  it('finds the upstream 2025-only when probing', () => {
    expect(legacy()?.era).toBe('legacy');
  });

  it('turns the push into input_required and resumes the parked call with the answer', async () => {
    const first = await rawCall(client, 'ask_name');
    const { key, request } = onlyRequest(first);
    expect(request.method).toBe('elicitation/create');
    expect(request.params).toMatchObject({ message: 'What is your name?', requestedSchema: { required: ['name'] } });
    expect(legacy()?.parkedConnections).toBe(1);

    const done = await rawCall(client, 'ask_name', { inputResponses: { [key]: { action: 'accept', content: { name: 'Ada' } } }, requestState: first.requestState });
    expect(done.resultType).not.toBe('input_required');
    expect(textOf(done)).toBe('name=Ada action=accept');
    // The finished call's token is spent: replaying it is refused.
    expect(await errorCode(rawCall(client, 'ask_name', { inputResponses: { [key]: { action: 'accept', content: { name: 'Eve' } } }, requestState: first.requestState }))).toBe(-32602);
  });

  it('declares the client’s own capabilities on the parked connection', async () => {
    const result = await rawCall(client, 'client_caps');
    expect(JSON.parse(textOf(result))).toEqual({ elicitation: {} });
  });

  it('asks again, with a fresh token, when the retry leaves the request unanswered', async () => {
    const first = await rawCall(client, 'ask_name');
    const { key } = onlyRequest(first);
    const again = await rawCall(client, 'ask_name', { inputResponses: { wrong_key: { action: 'accept', content: { name: 'x' } } }, requestState: first.requestState });
    expect(onlyRequest(again).key).toBe(key);
    expect(again.requestState).not.toBe(first.requestState);
    const done = await rawCall(client, 'ask_name', { inputResponses: { [key]: { action: 'decline' } }, requestState: again.requestState });
    expect(textOf(done)).toBe('name=undefined action=decline');
  });

  it('refuses a forged requestState, and one presented for another tool', async () => {
    const first = await rawCall(client, 'ask_name');
    const { key } = onlyRequest(first);
    const answer = { [key]: { action: 'accept', content: { name: 'Mallory' } } };
    expect(await errorCode(rawCall(client, 'ask_name', { inputResponses: answer, requestState: `${String(first.requestState)}x` }))).toBe(-32602);
    expect(await errorCode(rawCall(client, 'ask_twice', { inputResponses: answer, requestState: first.requestState }))).toBe(-32602);
    // The genuine token still resumes its own call.
    const done = await rawCall(client, 'ask_name', { inputResponses: { [key]: { action: 'accept', content: { name: 'Bob' } } }, requestState: first.requestState });
    expect(textOf(done)).toBe('name=Bob action=accept');
  });

  it('hands the retry the result of a call that ended while parked', async () => {
    const first = await rawCall(client, 'impatient');
    const { key } = onlyRequest(first);
    await new Promise((r) => setTimeout(r, 500));
    const done = await rawCall(client, 'impatient', { inputResponses: { [key]: { action: 'accept', content: { name: 'Slow' } } }, requestState: first.requestState });
    expect(textOf(done)).toBe('gave up waiting');
    expect(gw.app.gateway.parked.size).toBe(0);
  });

  it('works end to end with the default (auto-fulfilling) client, over two rounds', async () => {
    const asked: string[] = [];
    const auto = new Client({ name: 'auto-client', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } });
    auto.setRequestHandler('elicitation/create', async (request) => {
      const message = String((request.params as Json).message);
      asked.push(message);
      const content: Record<string, string> = message.includes('name') ? { name: 'Grace' } : { color: 'teal' };
      return { action: 'accept' as const, content };
    });
    await auto.connect(new StreamableHTTPClientTransport(new URL(gw.url)));
    try {
      expect(auto.getProtocolEra()).toBe('modern');
      const result = await auto.callTool({ name: 'ask_twice', arguments: {} });
      expect(textOf(result)).toBe('name=Grace color=teal');
      expect(asked).toEqual(['What is your name?', 'What is your favourite colour?']);
    } finally {
      await auto.close();
    }
  });
});

describe('an unanswered round expires before the upstream timeout', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(gatewayYaml('legacy', 2));
  }, 30_000);
  afterAll(() => gw.close());

  it('refuses the late retry and closes the parked connection', async () => {
    const client = await rawClient(gw.url);
    try {
      const first = await rawCall(client, 'ask_name');
      const { key } = onlyRequest(first);
      const parked = () => gw.app.gateway.snapshot().upstreams[0]?.parkedConnections;
      expect(parked()).toBe(1);
      // timeout 2 s → the round lives 1 s; the connection of the cancelled call is closed.
      await waitFor(() => (parked() === 0 ? true : undefined), 5000, 'the expired call’s connection to close');
      const late = rawCall(client, 'ask_name', { inputResponses: { [key]: { action: 'accept', content: { name: 'Late' } } }, requestState: first.requestState });
      expect(await errorCode(late)).toBe(-32602);
    } finally {
      await client.close();
    }
  });
});
