/**
 * Serves one HTTP exchange with a web-standard MCP handler (the SDK's 2026-07-28 handler, or a
 * 2025-11-25 session's WebStandardStreamableHTTPServerTransport) straight on Node's request/response
 * (issue 14). Why not the SDK's Node adapters: NodeStreamableHTTPServerTransport goes through
 * @hono/node-server, which waits a timer turn (≥ 1 ms, far more on a loaded machine) before writing an
 * SSE answer's headers, i.e. on every resumable POST; and `toWebRequest` re-serialises the body fastify
 * has already parsed. Here the Request carries the method, URL and headers only: both SDK entry points
 * take the parsed body as `parsedBody` and then never read the Request's body. The answer is written
 * chunk by chunk with backpressure, each chunk corked to the end of its tick so that a last event and
 * the end of the stream share one socket write; when the client goes away the body stream is
 * cancelled, which is how the SDK notices a closed SSE stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { authInfoOf } from './auth.js';

export interface ExchangeOptions {
  parsedBody?: unknown;
  authInfo?: AuthInfo;
}

export type WebHandler = (request: Request, options: ExchangeOptions) => Promise<Response>;

/** A body-less web Request with `req`'s method, URL and headers, aborted when `signal` is. */
export function webRequestOf(req: IncomingMessage, signal?: AbortSignal): Request {
  const host = req.headers.host ?? 'localhost';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return new Request(`http://${host}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(signal && { signal }) });
}

/** Runs `handler` for `req` and writes its Response to `res`. */
export async function serveExchange(req: IncomingMessage, res: ServerResponse, handler: WebHandler, parsedBody: unknown): Promise<void> {
  const abort = new AbortController();
  let finished = false;
  res.once('close', () => {
    if (!finished) abort.abort();
  });
  const authInfo = authInfoOf(req);
  const response = await handler(webRequestOf(req, abort.signal), { ...(parsedBody !== undefined && { parsedBody }), ...(authInfo && { authInfo }) });
  try {
    await writeResponse(res, response, abort.signal);
  } finally {
    finished = true;
  }
}

async function writeResponse(res: ServerResponse, response: Response, aborted: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  if (res.headersSent || res.destroyed) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  // The headers leave now, since a stream may stay silent for long (a GET stream until a notification),
  // but corked to the end of the tick: with what the stream already holds (a POST's priming event) they
  // make one socket write.
  res.cork();
  res.flushHeaders();
  process.nextTick(() => res.uncork());
  const reader = response.body.getReader();
  const gone = new Promise<void>((resolve) => aborted.addEventListener('abort', () => resolve(), { once: true }));
  try {
    while (!aborted.aborted) {
      const next = await Promise.race([reader.read(), gone.then(() => undefined)]);
      if (next === undefined || next.done) break;
      // Corked until the end of this tick: an answer event followed by the stream's end (the usual POST)
      // leaves in one socket write, not two; each write is a syscall, costly on a busy machine.
      res.cork();
      const flowing = res.write(next.value);
      process.nextTick(() => res.uncork());
      if (!flowing) await Promise.race([new Promise<void>((resolve) => res.once('drain', resolve)), gone]);
    }
  } catch {
    // A stream the SDK errored ends the answer; the client sees it as a closed stream.
  } finally {
    if (aborted.aborted) void reader.cancel().catch(() => undefined);
    else reader.releaseLock();
    res.end();
  }
}
