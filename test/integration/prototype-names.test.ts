/**
 * Issue 7, item 1: names that are members of Object.prototype (`constructor`, `toString`, `__proto__`,
 * `hasOwnProperty`, ...) used as a method, a tool name, a prompt name, a resource URI or a session id.
 * Each gets the answer any unknown name gets (-32601 for a method) on stdio and on both HTTP eras, and
 * no configured secret (bearer token, upstream env value, upstream header) appears in a reply, a log
 * line or the SQLite store. Before the fix `method: "constructor"` answered with the Gateway object.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { NODE, tempDir, TOY } from '../helpers/gateway.js';
import { startHttpUpstream, type HttpUpstream } from '../helpers/http-upstream.js';
import { capturedLog, openLegacySession, postModern, postRaw, PROTOTYPE_NAMES, StdioPipe, storeBytes } from '../helpers/raw-rpc.js';

const TOKEN = 'tok-Proto7-4f9a1c2e8b7d6a5f3e2d';
const ENV_SECRET = 'env-Proto7-9c8b7a6f5e4d3c2b1a09';
const HEADER_SECRET = 'hdr-Proto7-1a2b3c4d5e6f7a8b9c0d';
const SECRETS = [TOKEN, ENV_SECRET, HEADER_SECRET];
const AUTH = { authorization: `Bearer ${TOKEN}` };

function yaml(store: string, remote: string): string {
  return `
gateway: { store: ${store}, http: { port: 0 }, auth: { tokens: ["${TOKEN}"] } }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}], env: { TOY_SECRET: "${ENV_SECRET}" } }
  - { name: web, url: "${remote}", headers: { X-Upstream-Key: "${HEADER_SECRET}" } }
`;
}

function startApp(dir: string, remote: string, log: ReturnType<typeof capturedLog>['log']): { app: App; store: string } {
  const store = join(dir, 'store', 'watchdog.db');
  const { config } = parseConfig(yaml(store, remote), { file: 'test.yaml', baseDir: dir, env: process.env });
  return { app: createApp(config, { log, backoff: { initialMs: 200, maxMs: 1000, stableMs: 60_000 } }), store };
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} contains a configured secret`).toBe(false);
}

describe('Object.prototype member names from clients (issue 7, item 1)', () => {
  let remote: HttpUpstream;
  const captured = capturedLog();
  let http: { app: App; store: string };
  let stdio: { app: App; store: string };
  let url: string;
  let pipe: StdioPipe;
  let replies = '';

  beforeAll(async () => {
    remote = await startHttpUpstream('remote');
    http = startApp(tempDir(), remote.url, captured.log);
    url = (await http.app.serveHttp()).url;
    stdio = startApp(tempDir(), remote.url, captured.log);
    pipe = await StdioPipe.serve(stdio.app);
    await pipe.initialize();
  });
  afterAll(async () => {
    await http?.app.close();
    await stdio?.app.close();
    await remote?.close();
  });

  it('lists every member name it tests', () => {
    expect(PROTOTYPE_NAMES).toEqual(expect.arrayContaining(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__']));
  });

  it('answers each name as a method with -32601 on stdio', async () => {
    let id = 100;
    for (const name of PROTOTYPE_NAMES) {
      pipe.send({ jsonrpc: '2.0', id: ++id, method: name, params: {} });
      const reply = await pipe.reply(id);
      expect(reply.error?.code, name).toBe(-32601);
      expect(reply.result, name).toBeUndefined();
      pipe.send({ jsonrpc: '2.0', method: name, params: {} }); // a notification: nothing comes back
    }
    pipe.send({ jsonrpc: '2.0', id: 'after', method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'ok' } } });
    expect((await pipe.reply('after')).result?.content).toEqual([{ type: 'text', text: 'toy:ok' }]);
    replies += pipe.raw;
  });

  it('answers each name as a method with 404 / -32601 on the 2026-07-28 leg', async () => {
    for (const name of PROTOTYPE_NAMES) {
      const res = await postModern(url, { id: 1, method: name, params: {} }, AUTH);
      replies += res.text;
      expect(res.status, name).toBe(404);
      expect(res.body?.error?.code, name).toBe(-32601);
    }
  });

  it('answers each name as a method with -32601 in a 2025-11-25 session', async () => {
    const sid = await openLegacySession(url, AUTH);
    for (const name of PROTOTYPE_NAMES) {
      const res = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: name, params: {} }), { ...AUTH, 'mcp-session-id': sid });
      replies += res.text;
      expect(res.body?.error?.code, name).toBe(-32601);
      expect(res.body?.result, name).toBeUndefined();
    }
  });

  it('treats each name as an unknown tool, prompt, resource and session id', async () => {
    const sid = await openLegacySession(url, AUTH);
    const session = { ...AUTH, 'mcp-session-id': sid };
    let id = 1000;
    for (const name of PROTOTYPE_NAMES) {
      const calls = [
        { method: 'tools/call', params: { name, arguments: {} }, code: -32602 },
        { method: 'prompts/get', params: { name }, code: -32602 },
        { method: 'resources/read', params: { uri: name }, code: -32602 },
      ];
      for (const call of calls) {
        const legacy = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method: call.method, params: call.params }), session);
        const modern = await postModern(url, { id: ++id, method: call.method, params: call.params }, AUTH);
        pipe.send({ jsonrpc: '2.0', id: ++id, method: call.method, params: call.params });
        const viaStdio = await pipe.reply(id);
        replies += legacy.text + modern.text;
        for (const [era, error] of [['legacy', legacy.body?.error], ['modern', modern.body?.error], ['stdio', viaStdio.error]] as const) {
          expect(error?.code, `${era} ${call.method} ${name}`).toBe(call.code);
        }
      }
      const unknownSession = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/list' }), { ...AUTH, 'mcp-session-id': name });
      replies += unknownSession.text;
      expect(unknownSession.status, name).toBe(404);
    }
    replies += pipe.raw;
  });

  it('never lets a configured secret into a reply, a log line or the store', async () => {
    expect(replies.length).toBeGreaterThan(1000);
    expectNoSecret('replies', replies);
    await http.app.close();
    await stdio.app.close();
    expect(captured.text()).toContain('session opened'); // the log was captured
    expectNoSecret('log', captured.text());
    for (const { store } of [http, stdio]) {
      const bytes = storeBytes(store);
      expect(bytes.length).toBeGreaterThan(0);
      expectNoSecret('store', bytes);
    }
  });
});
