/**
 * Issue 7, item 3: two tokens, one session. A 2025-11-25 session belongs to the token that opened it:
 * the other token's POST, GET, `Last-Event-ID` replay and DELETE get 404 (as for an unknown id) and
 * change nothing, while the owner carries on. On the stateless 2026-07-28 leg the state that spans
 * requests (a parked call's sealed requestState) is bound the same way.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, withInputRequired } from '@modelcontextprotocol/client';
import { ResultSchema } from '@modelcontextprotocol/core';
import { NODE, ROOT, startGateway, textOf, TOY, type RunningGateway } from '../helpers/gateway.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-fedcba9876543210';
const VERSION = '2025-11-25';
const LEGACY_ELICIT = join(ROOT, 'test/fixtures/legacy-elicit-server.mjs');

type Json = Record<string, unknown>;

function headers(token: string, session?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(session && { 'mcp-session-id': session, 'mcp-protocol-version': VERSION }),
    ...extra,
  };
}

/** The SSE events of a response (id and parsed data), read until `stop` holds; then the connection is dropped. */
async function events(response: Response, abort: AbortController, stop: (seen: Array<{ id?: string; data?: Json }>) => boolean) {
  const seen: Array<{ id?: string; data?: Json }> = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (!stop(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event: { id?: string; data?: Json } = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id:')) event.id = line.slice(3).trim();
          if (line.startsWith('data:') && line.slice(5).trim() !== '') event.data = JSON.parse(line.slice(5)) as Json;
        }
        seen.push(event);
      }
    }
  } finally {
    abort.abort();
  }
  return seen;
}

async function rpc(url: string, token: string, session: string | undefined, message: Json, method = 'POST') {
  const sent = headers(token, session);
  if (method !== 'POST') delete sent['content-type'];
  const res = await fetch(url, { method, headers: sent, ...(method === 'POST' && { body: JSON.stringify(message) }) });
  const text = await res.text();
  const data = text.split('\n').find((l) => l.startsWith('data: ') && l.length > 6);
  return { status: res.status, session: res.headers.get('mcp-session-id'), body: (data ? JSON.parse(data.slice(6)) : text ? JSON.parse(text) : undefined) as Json | undefined };
}

async function openSession(url: string, token: string): Promise<string> {
  const init = await rpc(url, token, undefined, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  expect(init.status).toBe(200);
  await rpc(url, token, init.session!, { jsonrpc: '2.0', method: 'notifications/initialized' });
  return init.session!;
}

const echo = (id: number, text: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'toy__echo', arguments: { text } } });
const isProgress = (e: { data?: Json }) => e.data?.method === 'notifications/progress';

describe('sessions bound to the token that opened them', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(`
gateway: { http: { port: 0 }, auth: { tokens: ["${ALICE}", "${BOB}"] } }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
  - { name: ask, command: ${NODE}, args: [${LEGACY_ELICIT}], protocol: legacy }
`);
  }, 30_000);
  afterAll(async () => gw?.close());

  it("answers 404 to another token's POST, GET and DELETE on a session, and the owner carries on", async () => {
    const session = await openSession(gw.url, ALICE);
    expect((await rpc(gw.url, ALICE, session, echo(2, 'mine'))).body).toMatchObject({ result: { content: [{ text: 'toy:mine' }] } });

    const post = await rpc(gw.url, BOB, session, echo(3, 'theirs'));
    expect(post.status).toBe(404);
    expect(post.body).toMatchObject({ error: { message: 'Session not found' } });
    const unknown = await rpc(gw.url, BOB, 'no-such-session', echo(3, 'theirs'));
    expect([unknown.status, unknown.body]).toEqual([post.status, post.body]); // indistinguishable from an unknown id

    const get = await fetch(gw.url, { method: 'GET', headers: headers(BOB, session, { accept: 'text/event-stream' }) });
    await get.body?.cancel();
    expect(get.status).toBe(404);
    expect((await rpc(gw.url, BOB, session, {}, 'DELETE')).status).toBe(404);

    expect((await rpc(gw.url, ALICE, session, echo(4, 'still mine'))).body).toMatchObject({ result: { content: [{ text: 'toy:still mine' }] } });
    expect((await rpc(gw.url, ALICE, session, {}, 'DELETE')).status).toBe(200);
    expect((await rpc(gw.url, ALICE, session, echo(5, 'gone'))).status).toBe(404);
  });

  it("refuses another token's Last-Event-ID replay of a session's event log; the owner gets what it missed", async () => {
    const session = await openSession(gw.url, ALICE);
    const first = new AbortController();
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'toy__slow', arguments: { ms: 800 }, _meta: { progressToken: 'p' } } };
    const response = await fetch(gw.url, { method: 'POST', headers: headers(ALICE, session), body: JSON.stringify(call), signal: first.signal });
    const before = await events(response, first, (seen) => seen.some(isProgress));
    const lastSeen = before.filter(isProgress).at(-1)!.id!;
    await new Promise((r) => setTimeout(r, 1000)); // the call finishes while the client is away

    const stolen = await fetch(gw.url, { method: 'GET', headers: headers(BOB, session, { accept: 'text/event-stream', 'last-event-id': lastSeen }) });
    const stolenText = await stolen.text();
    expect(stolen.status).toBe(404);
    expect(stolenText).not.toContain('done');

    const again = new AbortController();
    const resumed = await fetch(gw.url, { method: 'GET', headers: headers(ALICE, session, { accept: 'text/event-stream', 'last-event-id': lastSeen }), signal: again.signal });
    expect(resumed.status).toBe(200);
    const missed = await events(resumed, again, (seen) => seen.some((e) => e.data?.id === 2));
    expect(missed.find((e) => e.data?.id === 2)?.data?.result).toEqual({ content: [{ type: 'text', text: 'done' }] });
  });

  it("refuses another token's sealed requestState on the 2026-07-28 leg", async () => {
    const modern = async (token: string) => {
      const client = new Client(
        { name: 'modern', version: '1' },
        { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } }, inputRequired: { autoFulfill: false } },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(gw.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      return client;
    };
    const call = (client: Client, extra: Json = {}) =>
      client.request({ method: 'tools/call', params: { name: 'ask__ask_name', arguments: {}, ...extra } }, withInputRequired(ResultSchema), { allowInputRequired: true, timeout: 20_000 }) as Promise<Json>;
    const alice = await modern(ALICE);
    const bob = await modern(BOB);
    try {
      const asked = await call(alice);
      expect(asked.resultType).toBe('input_required');
      const [key] = Object.keys(asked.inputRequests as Json);
      const answer = { inputResponses: { [key!]: { action: 'accept', content: { name: 'Mallory' } } }, requestState: asked.requestState };
      const code = await call(bob, answer).then(() => 'no error', (err: { code?: unknown }) => err.code);
      expect(code).toBe(-32602);
      const done = await call(alice, { ...answer, inputResponses: { [key!]: { action: 'accept', content: { name: 'Alice' } } } });
      expect(textOf(done)).toBe('name=Alice action=accept');
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
