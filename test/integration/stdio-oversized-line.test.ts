/**
 * Issue 7, item 13: on the stdio front door a line over the size limit is discarded whole, up to its
 * newline. Before, the gateway dropped what it had buffered when the limit passed and parsed the rest
 * of the line as a new message, so a request could be smuggled behind 2 MiB of padding. Here the limit
 * is 1 MiB; the padding arrives in chunks of several sizes; the smuggled call must never reach the
 * upstream nor be answered, and the next line is served normally.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { NODE, quietLog, ROOT, tempDir, textOf } from '../helpers/gateway.js';
import { StdioPipe } from '../helpers/raw-rpc.js';

const LEAKY = join(ROOT, 'test/fixtures/leaky-server.mjs');
const LIMIT = 1024 * 1024;
const PADDING = 2 * 1024 * 1024;
const smuggled = (id: string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'leaky__sink', arguments: { smuggled: id } } });

/** Writes `text` in pieces of `chunk` bytes, letting the event loop run between them. */
async function writeInChunks(pipe: StdioPipe, text: string, chunk: number): Promise<void> {
  for (let i = 0; i < text.length; i += chunk) {
    pipe.write(text.slice(i, i + chunk));
    await new Promise((r) => setImmediate(r));
  }
}

describe('oversized stdio lines (issue 7, item 13)', () => {
  let app: App;
  let pipe: StdioPipe;
  let next = 0;

  beforeAll(async () => {
    const dir = tempDir();
    const yaml = `
gateway: { maxBodyBytes: ${LIMIT}, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: leaky, command: ${NODE}, args: [${LEAKY}] }
`;
    const { config } = parseConfig(yaml, { file: 'test.yaml', baseDir: dir, env: process.env });
    app = createApp(config, { log: quietLog() });
    pipe = await StdioPipe.serve(app);
    await pipe.initialize();
  });
  afterAll(async () => app?.close());

  const sinkCalls = async (): Promise<unknown[]> => {
    const id = `calls-${++next}`;
    pipe.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'leaky__calls', arguments: {} } });
    const text = textOf((await pipe.reply(id)).result);
    return (JSON.parse(text) as Array<{ tool: string; arguments: unknown }>).filter((c) => c.tool === 'sink').map((c) => c.arguments);
  };

  it.each([
    ['spaces, one write', ' '.repeat(PADDING), PADDING + 1000],
    ['spaces, 64 KiB chunks', ' '.repeat(PADDING), 64 * 1024],
    ['spaces, chunks that straddle the limit', ' '.repeat(PADDING), 300_001],
    ['a JSON string, 16 KiB chunks', `{"jsonrpc":"2.0","id":"padded","method":"ping","params":{"pad":"${'x'.repeat(PADDING)}"}}`, 16 * 1024],
  ])('discards the whole line after %s, so the request behind it is never run', async (_what, padding, chunk) => {
    const id = `smuggled-${++next}`;
    await writeInChunks(pipe, `${padding}${smuggled(id)}\n`, chunk);
    const after = `after-${next}`;
    pipe.send({ jsonrpc: '2.0', id: after, method: 'ping' });
    await pipe.reply(after);
    expect(pipe.replies.find((r) => r.id === id)).toBeUndefined();
    expect(pipe.replies.some((r) => r.error?.code === -32600 && r.error.message === `Invalid Request: message exceeds ${LIMIT} bytes`)).toBe(true);
    expect(await sinkCalls()).toEqual([]);
  });

  it('answers an oversized request with its own id when the line shows one', async () => {
    const line = JSON.stringify({ jsonrpc: '2.0', id: 'too-big', method: 'tools/call', params: { name: 'leaky__sink', arguments: { pad: 'y'.repeat(PADDING) } } });
    await writeInChunks(pipe, `${line}\n`, 128 * 1024);
    expect((await pipe.reply('too-big')).error).toEqual({ code: -32600, message: `Invalid Request: message exceeds ${LIMIT} bytes` });
    expect(await sinkCalls()).toEqual([]);
  });

  it('serves lines under the limit, including one split across many chunks', async () => {
    const id = `fine-${++next}`;
    const line = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'leaky__sink', arguments: { pad: 'z'.repeat(LIMIT / 2) } } });
    await writeInChunks(pipe, `${line}\n`, 7_001);
    expect(textOf((await pipe.reply(id)).result)).toBe('received');
    expect(await sinkCalls()).toHaveLength(1);
  });
});
