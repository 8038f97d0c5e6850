/**
 * Serves one HTTP exchange with a web-standard MCP handler (the SDK's 2026-07-28 handler, or a
 * 2025-11-25 session's WebStandardStreamableHTTPServerTransport) straight on Node's request/response
 * (issue 14). Why not the SDK's Node adapters: NodeStreamableHTTPServerTransport goes through
 * @hono/node-server, which waits a timer turn (≥ 1 ms, far more on a loaded machine) before writing an
 * SSE answer's headers, i.e. on every resumable POST; and `toWebRequest` re-serialises the body fastify
 * has already parsed. Here the Request carries the method, URL and headers only: both SDK entry points
 * take the parsed body as `parsedBody` and then never read the Request's body. Every socket write is a
 * system call and a wake-up of the client, the largest share of a call's time on a busy machine
 * (README, Performance), so an answer leaves in as few writes as it can: a JSON answer in one, a quick
 * POST's SSE answer (headers, priming event, result, end) in one, a longer stream chunk by chunk with
 * backpressure. When the client goes away the body stream is cancelled, which is how the SDK notices a
 * closed SSE stream.
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
  return new Request(`http://${host}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers: headersOf(req), ...(signal && { signal }) });
}

/**
 * Node's header record as the Request's headers: handed over as it is when every value is one string
 * (the usual request: the Request copies it once), else copied pair by pair (repeated `set-cookie`
 * lines, HTTP/2 pseudo-headers left out).
 */
function headersOf(req: IncomingMessage): HeadersInit {
  const record = req.headers;
  let plain = true;
  for (const name in record) {
    if (typeof record[name] !== 'string' || name.startsWith(':')) {
      plain = false;
      break;
    }
  }
  if (plain) return record as Record<string, string>;
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
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
    await writeResponse(req, res, response, abort.signal);
  } finally {
    finished = true;
  }
}

/**
 * How long a POST's SSE answer holds its headers and first event (the priming event, on the 2025-11-25
 * leg) for the next one: a quick call's whole answer then leaves in one socket write instead of two.
 * A slower answer gets its headers at this deadline; a progress notification is never held longer.
 */
export const SSE_HOLD_MS = 25;

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response, aborted: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  if (res.headersSent || res.destroyed) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  if (response.body === null) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!(headers['content-type'] ?? '').startsWith('text/event-stream')) {
    // A JSON answer (the 2026-07-28 leg's usual one, or an error) is complete when the SDK returns it:
    // headers and body in one write, with a length instead of chunked framing and its end marker.
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
    return;
  }
  res.writeHead(response.status, headers);
  await writeEvents(res, response.body, aborted, req.method === 'POST' ? SSE_HOLD_MS : 0);
}

/**
 * Writes an SSE body chunk by chunk with backpressure, each chunk corked to the end of its tick so that
 * a last event and the end of the stream share one socket write. The headers (and, for `holdMs` > 0, the
 * first event) are held until the second event, the end, or `holdMs`; a GET stream, which may stay
 * silent for long, gets its headers at once (`holdMs` 0).
 */
async function writeEvents(res: ServerResponse, body: ReadableStream<Uint8Array>, aborted: AbortSignal, holdMs: number): Promise<void> {
  res.cork();
  res.flushHeaders();
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    clearTimeout(timer);
    process.nextTick(() => res.uncork());
  };
  const timer = setTimeout(release, holdMs);
  if (holdMs === 0) release();
  const reader = body.getReader();
  const gone = new Promise<void>((resolve) => aborted.addEventListener('abort', () => resolve(), { once: true }));
  let chunks = 0;
  try {
    while (!aborted.aborted) {
      const next = await Promise.race([reader.read(), gone.then(() => undefined)]);
      if (next === undefined || next.done) break;
      if (!held) res.cork();
      const flowing = res.write(next.value);
      if (held && (++chunks > 1 || !flowing)) release();
      else if (!held) process.nextTick(() => res.uncork());
      if (!flowing) await Promise.race([new Promise<void>((resolve) => res.once('drain', resolve)), gone]);
    }
  } catch {
    // A stream the SDK errored ends the answer; the client sees it as a closed stream.
  } finally {
    release();
    if (aborted.aborted) void reader.cancel().catch(() => undefined);
    else reader.releaseLock();
    res.end();
  }
}
