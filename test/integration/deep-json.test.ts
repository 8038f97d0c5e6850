/**
 * Issue 7, item 12: JSON nested thousands of levels deep is an invalid request, not a crash. On HTTP
 * (a session, no session, and the 2026-07-28 leg) it gets 400 / -32600 instead of the 500 a stack
 * overflow gave; on stdio -32600 with the request's id; and the gateway keeps serving. Below the front
 * door's limit (512 levels) a deep message is inspected, and blocked where the walker has to stop.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { serveStdio } from '../../src/downstream/index.js';
import { NODE, quietLog, tempDir, TOY } from '../helpers/gateway.js';
import { MODERN_META, openLegacySession, postRaw, StdioPipe } from '../helpers/raw-rpc.js';

const DEPTHS = [600, 5_000, 100_000];
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** A tools/call whose arguments nest `depth` arrays (built as text: JSON.stringify itself would overflow). */
const deepCall = (id: number, depth: number, meta = '') =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"toy__echo","arguments":{"text":"a","x":${deep(depth)}}${meta}}}`;
const MODERN = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'toy__echo' };

describe('deeply nested JSON from clients (issue 7, item 12)', () => {
  let app: App;
  let url: string;
  let pipe: StdioPipe;

  beforeAll(async () => {
    const dir = tempDir();
    const yaml = `
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`;
    const { config } = parseConfig(yaml, { file: 'test.yaml', baseDir: dir, env: process.env });
    app = createApp(config, { log: quietLog() });
    url = (await app.serveHttp()).url;
    // The stdio front door beside the HTTP one, on the same started gateway.
    pipe = new StdioPipe();
    await serveStdio(app.gateway, pipe.input, pipe.output, config.gateway.maxBodyBytes);
    await pipe.initialize();
  });
  afterAll(async () => app?.close());

  it.each(DEPTHS)('answers %i levels with 400 / -32600 on both HTTP eras and keeps serving', async (depth) => {
    const sid = await openLegacySession(url);
    const replies = [
      await postRaw(url, deepCall(1, depth), { 'mcp-session-id': sid }),
      await postRaw(url, deepCall(2, depth)),
      await postRaw(url, deep(depth)),
      await postRaw(url, deepCall(3, depth, `,"_meta":${JSON.stringify(MODERN_META)}`), MODERN),
    ];
    for (const res of replies) {
      expect(res.status).toBe(400);
      expect(res.body?.error).toEqual({ code: -32600, message: 'Invalid Request: JSON nested deeper than 512 levels' });
    }
    const ok = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'still here' } } }), { 'mcp-session-id': sid });
    expect(ok.body?.result?.content).toEqual([{ type: 'text', text: 'toy:still here' }]);
  });

  it.each(DEPTHS)('answers %i levels with -32600 on stdio and keeps serving', async (depth) => {
    pipe.write(`${deepCall(depth, depth)}\n`);
    expect((await pipe.reply(depth)).error).toEqual({ code: -32600, message: 'Invalid Request: JSON nested deeper than 512 levels' });
    pipe.write(`${deep(depth)}\n`);
    pipe.send({ jsonrpc: '2.0', id: `ok-${depth}`, method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'fine' } } });
    expect((await pipe.reply(`ok-${depth}`)).result?.content).toEqual([{ type: 'text', text: 'toy:fine' }]);
    expect(pipe.replies.filter((r) => r.id === null && r.error?.code === -32600).length).toBeGreaterThan(0);
  });

  it('inspects a message under the front-door limit and blocks it where the walker stops', async () => {
    const sid = await openLegacySession(url);
    const res = await postRaw(url, deepCall(4, 400), { 'mcp-session-id': sid });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body?.result)).toContain('inspection/too-deep');
  });
});
