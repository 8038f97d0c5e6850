/**
 * Issue 7, item 16: params that do not fit the spec answer -32602 (Invalid params) and never reach an
 * upstream: `logging/setLevel` with a bad level, `initialize` with a numeric `protocolVersion`,
 * `tools/call` with `arguments` that are not an object or without a `name`, `prompts/get` with
 * non-string argument values. Checked on stdio, in a 2025-11-25 session and on the 2026-07-28 leg
 * (where `initialize` and `logging/setLevel` do not exist and answer -32601); the fixture reports
 * every call it received.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { serveStdio } from '../../src/downstream/index.js';
import { NODE, quietLog, ROOT, tempDir, textOf } from '../helpers/gateway.js';
import { INIT, openLegacySession, postModern, postRaw, StdioPipe } from '../helpers/raw-rpc.js';

const LEAKY = join(ROOT, 'test/fixtures/leaky-server.mjs');

const BAD_CALLS: Array<[string, Record<string, unknown>]> = [
  ['tools/call', { name: 'leaky__sink', arguments: 'not an object' }],
  ['tools/call', { name: 'leaky__sink', arguments: [1, 2] }],
  ['tools/call', { name: 'leaky__sink', arguments: 42 }],
  ['tools/call', { name: 'leaky__sink', arguments: null }],
  ['tools/call', { arguments: {} }],
  ['tools/call', { name: 7, arguments: {} }],
  ['prompts/get', { name: 'leaky__leaky_prompt', arguments: { a: 1 } }],
  ['resources/read', { uri: 5 }],
];
const BAD_LEVELS = [{ level: 'loud' }, { level: 7 }, {}];

describe('invalid params (issue 7, item 16)', () => {
  let app: App;
  let url: string;
  let maxBodyBytes: number;

  beforeAll(async () => {
    const dir = tempDir();
    const yaml = `
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: leaky, command: ${NODE}, args: [${LEAKY}] }
`;
    const { config } = parseConfig(yaml, { file: 'test.yaml', baseDir: dir, env: process.env });
    maxBodyBytes = config.gateway.maxBodyBytes;
    app = createApp(config, { log: quietLog() });
    url = (await app.serveHttp()).url;
  });
  afterAll(async () => app?.close());

  const stdio = async (): Promise<StdioPipe> => {
    const pipe = new StdioPipe();
    await serveStdio(app.gateway, pipe.input, pipe.output, maxBodyBytes);
    return pipe;
  };

  it('answers initialize with a numeric protocolVersion with -32602 (stdio and HTTP)', async () => {
    const params = { ...INIT.params, protocolVersion: 20251125 };
    const pipe = await stdio();
    pipe.send({ ...INIT, id: 'init', params });
    const viaStdio = await pipe.reply('init');
    expect(viaStdio.error?.code).toBe(-32602);
    expect(viaStdio.error?.message).toBe('Invalid params for initialize: protocolVersion: Invalid input: expected string, received number');
    const viaHttp = await postRaw(url, JSON.stringify({ ...INIT, id: 'init', params }));
    expect(viaHttp.status).toBe(400);
    expect(viaHttp.body).toMatchObject({ id: 'init', error: { code: -32602 } });
    expect(viaHttp.headers.get('mcp-session-id')).toBeNull();
  });

  it('answers logging/setLevel with a bad level with -32602 (stdio and a session)', async () => {
    const pipe = await stdio();
    await pipe.initialize();
    const sid = await openLegacySession(url);
    let id = 0;
    for (const params of BAD_LEVELS) {
      pipe.send({ jsonrpc: '2.0', id: ++id, method: 'logging/setLevel', params });
      expect((await pipe.reply(id)).error?.code, JSON.stringify(params)).toBe(-32602);
      const res = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id, method: 'logging/setLevel', params }), { 'mcp-session-id': sid });
      expect(res.body?.error?.code, JSON.stringify(params)).toBe(-32602);
    }
    pipe.send({ jsonrpc: '2.0', id: 'good', method: 'logging/setLevel', params: { level: 'error' } });
    expect((await pipe.reply('good')).result).toEqual({});
  });

  it('answers bad tools/call, prompts/get and resources/read params with -32602 on every front door, forwarding nothing', async () => {
    const pipe = await stdio();
    await pipe.initialize();
    const sid = await openLegacySession(url);
    let id = 100;
    for (const [method, params] of BAD_CALLS) {
      const what = `${method} ${JSON.stringify(params)}`;
      pipe.send({ jsonrpc: '2.0', id: ++id, method, params });
      const viaStdio = await pipe.reply(id);
      expect(viaStdio.error?.code, `stdio ${what}`).toBe(-32602);
      expect(viaStdio.error?.message, `stdio ${what}`).toMatch(new RegExp(`^Invalid params for ${method}: `));
      const legacy = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'mcp-session-id': sid });
      expect(legacy.body?.error?.code, `legacy ${what}`).toBe(-32602);
      const modern = await postModern(url, { id: ++id, method, params });
      expect(modern.body?.error?.code, `modern ${what}`).toBe(-32602);
    }
    pipe.send({ jsonrpc: '2.0', id: 'calls', method: 'tools/call', params: { name: 'leaky__calls', arguments: {} } });
    expect(textOf((await pipe.reply('calls')).result)).toBe('[]');
  });
});
