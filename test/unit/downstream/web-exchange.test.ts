import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { SSE_HOLD_MS, serveExchange, type WebHandler } from '../../../src/downstream/web-exchange.js';

let server: Server | undefined;
afterEach(async () => {
  socketWrites.length = 0;
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Socket writes (system calls) per answer: net.Socket hands every flushed batch to `_writeGeneric`. */
const socketWrites: number[] = [];

async function serve(handler: WebHandler, body?: unknown): Promise<string> {
  server = createServer((req, res) => {
    const socket = req.socket as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
    const original = socket._writeGeneric.bind(socket);
    const slot = socketWrites.push(0) - 1;
    socket._writeGeneric = (...args) => {
      socketWrites[slot]! += 1;
      return original(...args);
    };
    void serveExchange(req, res, handler, body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
}

const sse = (stream: ReadableStream<Uint8Array>) => new Response(stream, { headers: { 'content-type': 'text/event-stream' } });

describe('serveExchange (issue 14)', () => {
  test('a silent stream gets its status and headers at once', async () => {
    let cancelled = false;
    const url = await serve(async () => sse(new ReadableStream({ cancel: () => void (cancelled = true) })));
    const abort = new AbortController();
    const started = Date.now();
    const res = await fetch(url, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(Date.now() - started).toBeLessThan(5000);
    abort.abort();
    await expect.poll(() => cancelled, { timeout: 5000 }).toBe(true);
  });

  test('hands the handler the request headers and the parsed body, and writes every chunk in order', async () => {
    const seen: Array<{ method: string; header: string | null; body: unknown }> = [];
    const url = await serve(async (request, options) => {
      seen.push({ method: request.method, header: request.headers.get('mcp-session-id'), body: options.parsedBody });
      const encoder = new TextEncoder();
      return sse(new ReadableStream({
        async start(controller) {
          for (let i = 0; i < 3; i++) {
            controller.enqueue(encoder.encode(`data: ${i}\n\n`));
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          controller.close();
        },
      }));
    }, { jsonrpc: '2.0', id: 1, method: 'ping' });
    const res = await fetch(url, { method: 'POST', headers: { 'mcp-session-id': 's-1', 'content-type': 'application/json' }, body: '{}' });
    expect(await res.text()).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\n');
    expect(seen).toEqual([{ method: 'POST', header: 's-1', body: { jsonrpc: '2.0', id: 1, method: 'ping' } }]);
  });

  test('a body-less answer is sent with its status', async () => {
    const url = await serve(async () => new Response(null, { status: 202 }));
    const res = await fetch(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
  });

  test('a JSON answer leaves in one socket write, with its length', async () => {
    const json = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: 'é'.repeat(2000) } });
    const url = await serve(async () => new Response(json, { headers: { 'content-type': 'application/json' } }));
    const res = await fetch(url, { method: 'POST', body: '{}' });
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(json)));
    expect(await res.text()).toBe(json);
    expect(socketWrites).toEqual([1]);
  });

  test("a quick POST's SSE answer (priming event, result, end) leaves in one socket write", async () => {
    const encoder = new TextEncoder();
    const url = await serve(async () => sse(new ReadableStream({
      async start(controller) {
        controller.enqueue(encoder.encode('id: p\ndata: \n\n'));
        await new Promise((resolve) => setTimeout(resolve, 2));
        controller.enqueue(encoder.encode('event: message\ndata: {"id":1}\n\n'));
        controller.close();
      },
    })));
    const res = await fetch(url, { method: 'POST', body: '{}' });
    expect(await res.text()).toBe('id: p\ndata: \n\nevent: message\ndata: {"id":1}\n\n');
    expect(socketWrites).toEqual([1]);
  });

  test(`a slow POST stream gets its headers and first event after ${SSE_HOLD_MS} ms, before its end`, async () => {
    const encoder = new TextEncoder();
    let finish = () => undefined as void;
    const url = await serve(async () => sse(new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode('data: first\n\n'));
        finish = () => controller.close();
      },
    })));
    const res = await fetch(url, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    finish();
    expect((await reader.read()).done).toBe(true);
    expect(socketWrites[0]).toBeGreaterThanOrEqual(2);
  });
});
