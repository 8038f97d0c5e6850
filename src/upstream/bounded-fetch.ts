/**
 * The size limit for remote upstreams (issue 7, item 2). The SDK's HTTP client transports buffer without
 * bound: a JSON answer is read whole by `response.json()`, and an SSE event's data lines are joined by
 * the event parser until the blank line that ends it, so a remote server could make the gateway hold
 * any amount of memory. This `fetch` wraps each successful response body so that a JSON body, or one
 * SSE event, over `upstreams[].maxMessageBytes` errors the stream with WDG_UPSTREAM_MESSAGE_TOO_LARGE
 * after at most that many bytes have been read.
 * What follows from the SDK: a JSON answer fails its request with that error at once; an oversized SSE
 * event ends the stream, and the request it carried fails when the SDK gives up reconnecting or at its
 * timeout. SSE events are counted between blank lines (`\n\n` or `\r\n\r\n`); a server that ends lines
 * with a bare `\r` is measured as one event.
 */
import { WatchdogError } from '../core/index.js';

type Fetch = typeof fetch;

export function boundedFetch(upstream: string, maxBytes: number, base: Fetch = fetch): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body || response.status < 200 || response.status > 299 || response.status === 204 || response.status === 205) return response;
    const sse = (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
    const tooLarge = (bytes: number) => new WatchdogError('WDG_UPSTREAM_MESSAGE_TOO_LARGE', { upstream, bytes, limit: maxBytes }, { upstream, bytes, limit: maxBytes });
    const counter = sse ? eventCounter(maxBytes) : totalCounter(maxBytes);
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const over = counter(chunk);
          if (over === undefined) controller.enqueue(chunk);
          else controller.error(tooLarge(over));
        },
      }),
    );
    const wrapped = new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(wrapped, 'url', { value: response.url });
    return wrapped;
  };
}

/** Counts a whole body; returns the size so far once it passes `max`. */
function totalCounter(max: number): (chunk: Uint8Array) => number | undefined {
  let total = 0;
  return (chunk) => {
    total += chunk.length;
    return total > max ? total : undefined;
  };
}

/** Counts the bytes of the current SSE event (reset by each blank line); returns its size once it passes `max`. */
export function eventCounter(max: number): (chunk: Uint8Array) => number | undefined {
  let event = 0;
  let line = 0;
  let lastByte = -1;
  return (chunk) => {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      if (end > start) lastByte = chunk[end - 1] as number;
      line += end - start;
      if (event + line > max) return event + line;
      if (newline === -1) return undefined;
      const blank = line === 0 || (line === 1 && lastByte === 13);
      event = blank ? 0 : event + line + 1;
      line = 0;
      lastByte = 10;
      start = newline + 1;
    }
  };
}
