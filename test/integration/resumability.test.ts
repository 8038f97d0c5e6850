/**
 * Issue 3, acceptance 5: a 2025-11-25 client that loses a response stream and reconnects with
 * `Last-Event-ID` gets the events it missed, from the SQLite event store, scoped to its own session.
 * The gateway is built here as app.ts will wire it: `serveHttp({ …, sessionEvents: store.events })`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Gateway } from '../../src/gateway/index.js';
import { serveHttp, type HttpFrontDoor } from '../../src/downstream/index.js';
import { parseConfig } from '../../src/config/index.js';
import { openWatchdogStore, type WatchdogStore } from '../../src/store/index.js';
import { NODE, ROOT, quietLog, tempDir } from '../helpers/gateway.js';

const FIXTURE = join(ROOT, 'test/fixtures/conformance-server.mjs');
const VERSION = '2025-11-25';

interface SseEvent {
  id?: string;
  data?: Record<string, unknown>;
}

function headers(session?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(session && { 'mcp-session-id': session, 'mcp-protocol-version': VERSION }),
    ...extra,
  };
}

/** Reads SSE events until `stop` says so (then aborts the connection, like a dropped network). */
async function readEvents(response: Response, abort: AbortController, stop: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (!stop(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event: SseEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id:')) event.id = line.slice(3).trim();
          if (line.startsWith('data:') && line.slice(5).trim() !== '') event.data = JSON.parse(line.slice(5)) as Record<string, unknown>;
        }
        events.push(event);
      }
    }
  } finally {
    abort.abort();
  }
  return events;
}

async function openSession(url: string): Promise<string> {
  const init = await fetch(url, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });
  const session = init.headers.get('mcp-session-id');
  await init.text();
  if (!session) throw new Error('no session id');
  await (await fetch(url, { method: 'POST', headers: headers(session), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
  return session;
}

const isProgress = (e: SseEvent) => e.data?.method === 'notifications/progress';

describe('resumable streams (SQLite event store per session)', () => {
  let store: WatchdogStore;
  let gateway: Gateway;
  let door: HttpFrontDoor;
  beforeAll(async () => {
    const yaml = `upstreams:\n  - name: conformance\n    command: ${NODE}\n    args: [${FIXTURE}]\ngateway:\n  prefix: never\n  http: { port: 0 }\n`;
    const { config } = parseConfig(yaml, { file: 'test.yaml', baseDir: tempDir(), env: process.env });
    store = openWatchdogStore(join(tempDir(), 'watchdog.db'));
    gateway = new Gateway({ config, log: quietLog() });
    await gateway.start();
    door = await serveHttp({ gateway, config: config.gateway, log: quietLog(), sessionEvents: store.events });
  }, 30_000);
  afterAll(async () => {
    await door.close();
    await gateway.close();
    store.close();
  });

  it('replays what a client missed after reconnecting with Last-Event-ID, and only to its own session', async () => {
    const session = await openSession(door.url);
    const first = new AbortController();
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'resume-me' } } };
    const response = await fetch(door.url, { method: 'POST', headers: headers(session), body: JSON.stringify(call), signal: first.signal });
    const before = await readEvents(response, first, (events) => events.some(isProgress));
    // Resume from the first progress event: under load one read can carry several events, and everything
    // after the id the client names is replayed whether or not it arrived.
    const lastSeen = before.find(isProgress);
    expect(lastSeen?.id).toBeTruthy();
    expect((lastSeen?.data?.params as { progress?: number }).progress).toBe(0);

    await new Promise((r) => setTimeout(r, 500)); // the call finishes while the client is away

    const other = await openSession(door.url);
    const stolen = await fetch(door.url, { method: 'GET', headers: headers(other, { accept: 'text/event-stream', 'last-event-id': lastSeen!.id! }) });
    await stolen.body?.cancel();
    expect(stolen.status).not.toBe(200);

    const again = new AbortController();
    const resumed = await fetch(door.url, { method: 'GET', headers: headers(session, { accept: 'text/event-stream', 'last-event-id': lastSeen!.id! }), signal: again.signal });
    expect(resumed.status).toBe(200);
    const missed = await readEvents(resumed, again, (events) => events.some((e) => e.data?.id === 2));
    const progress = missed.filter(isProgress).map((e) => (e.data?.params as { progress?: number }).progress);
    expect(progress).toEqual([50, 100]);
    expect(missed.find((e) => e.data?.id === 2)?.data?.result).toEqual({ content: [{ type: 'text', text: 'Progress tool completed' }] });
  });
});
