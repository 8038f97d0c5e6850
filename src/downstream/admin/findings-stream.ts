/**
 * Live findings as server-sent events (issue 17), for the console's feed: `GET /console/events` with the
 * `/findings` filters (severity, upstream, rule). The stream polls the audit log rather than hooking the
 * inspector, so it shows what any writer on the store recorded (a stdio gateway, a watch event), and
 * it can only ever send what the log keeps: masked excerpts and salted hashes, never a matched value.
 * Each new finding is one `finding` event (JSON of the stored row), oldest first; a comment line every
 * 15 s keeps proxies from closing an idle stream. Polling stops when the client goes away.
 * Open streams are capped (`FeedSlots`, default 16 per gateway): each polls the store, so a page left
 * open in many tabs, or a script opening streams in a loop, cannot grow the work without bound; one over
 * the cap is answered 503 with `Retry-After` before anything is streamed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FindingsPage, FindingsQuery, StoredFinding } from '../../core/index.js';

export interface StreamOptions {
  /** Default 500 ms. */
  pollMs?: number;
  /** Default 15 s. */
  heartbeatMs?: number;
  now?: () => number;
}

const BATCH = 200;

export const DEFAULT_FEED_STREAMS = 16;

/** How many live feeds may be open at once on one gateway. */
export class FeedSlots {
  #open = 0;

  constructor(readonly max = DEFAULT_FEED_STREAMS) {}

  get open(): number {
    return this.#open;
  }

  /** Takes a slot; false when all are in use. The returned release is safe to call more than once. */
  take(): (() => void) | undefined {
    if (this.#open >= this.max) return undefined;
    this.#open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
    };
  }
}

export function streamFindings(request: FastifyRequest, reply: FastifyReply, read: (query: FindingsQuery) => FindingsPage, filters: Omit<FindingsQuery, 'since' | 'limit' | 'cursor'>, slots: FeedSlots, options: StreamOptions = {}): void {
  const release = slots.take();
  if (!release) {
    void reply.code(503).header('retry-after', '10').send({ error: `too many live feeds open (at most ${slots.max}); close a console tab and retry` });
    return;
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' });
  res.write(': mcp-watchdog findings\nretry: 2000\n\n');
  // Only findings from now on: the page the stream belongs to already shows the older ones.
  let since = (options.now ?? Date.now)();
  let seenAtSince = new Set<string>();
  let closed = false;
  const send = (f: StoredFinding) => res.write(`id: ${f.id}\nevent: finding\ndata: ${JSON.stringify(f)}\n\n`);
  const poll = () => {
    if (closed) return;
    let fresh: StoredFinding[];
    try {
      fresh = read({ ...filters, since, limit: BATCH }).findings.filter((f) => !seenAtSince.has(f.id));
    } catch {
      return; // a busy or closing store: the next tick tries again
    }
    if (fresh.length === 0) return;
    fresh.sort((a, b) => a.time - b.time);
    for (const f of fresh) send(f);
    const newest = fresh[fresh.length - 1]?.time ?? since;
    if (newest > since) {
      since = newest;
      seenAtSince = new Set();
    }
    for (const f of fresh) if (f.time === since) seenAtSince.add(f.id);
  };
  const timer = setInterval(poll, options.pollMs ?? 500);
  const beat = setInterval(() => closed || res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  const stop = () => {
    release();
    closed = true;
    clearInterval(timer);
    clearInterval(beat);
  };
  request.raw.on('close', stop);
  res.on('close', stop);
}
