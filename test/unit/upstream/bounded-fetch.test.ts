/**
 * The remote upstream size limit (issue 7, item 2): a JSON body over the limit, or one SSE event over
 * it, errors the body with WDG_UPSTREAM_MESSAGE_TOO_LARGE; many events that are each under the limit
 * pass, however long the stream. The base fetch here returns real Response objects.
 */
import { describe, expect, it } from 'vitest';
import { boundedFetch, eventCounter } from '../../../src/upstream/bounded-fetch.js';

const respond = (body: string, type: string): typeof fetch => async () => new Response(body, { status: 200, headers: { 'content-type': type } });

describe('boundedFetch', () => {
  it('fails a JSON body over the limit with the clear error and passes one under it', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: 'x'.repeat(5000) } });
    await expect((await boundedFetch('web', 4096, respond(big, 'application/json'))('http://127.0.0.1/')).json()).rejects.toThrow(
      /upstream "web" sent a \d+-byte message, over its limit of 4096 bytes \(upstreams\[\]\.maxMessageBytes\)/,
    );
    const small = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
    expect(await (await boundedFetch('web', 4096, respond(small, 'application/json'))('http://127.0.0.1/')).json()).toEqual(JSON.parse(small));
  });

  it('limits each SSE event, not the stream', async () => {
    const event = (n: number) => `event: message\r\ndata: ${'y'.repeat(n)}\r\n\r\n`;
    const many = Array.from({ length: 50 }, () => event(1000)).join('');
    expect(await (await boundedFetch('web', 4096, respond(many, 'text/event-stream'))('http://127.0.0.1/')).text()).toBe(many);
    await expect((await boundedFetch('web', 4096, respond(event(1000) + event(5000), 'text/event-stream'))('http://127.0.0.1/')).text()).rejects.toThrow(/over its limit of 4096 bytes/);
  });

  it('leaves responses without a 2xx body alone', async () => {
    const base: typeof fetch = async () => new Response('x'.repeat(10_000), { status: 404 });
    expect((await (await boundedFetch('web', 1024, base)('http://127.0.0.1/')).text()).length).toBe(10_000);
  });
});

describe('eventCounter', () => {
  it('resets on blank lines split across chunks, for LF and CRLF', () => {
    const count = eventCounter(12);
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(count(bytes('data: 12\r'))).toBeUndefined();
    expect(count(bytes('\n\r'))).toBeUndefined();
    expect(count(bytes('\ndata: 1234\n\ndata: 12345\n\n'))).toBeUndefined(); // 12 bytes with its newline
    expect(count(bytes('data: 1234567'))).toBe(13);
  });
});
