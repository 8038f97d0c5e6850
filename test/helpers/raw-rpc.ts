/**
 * Raw JSON-RPC on each front door, for tests that send what no SDK client would: HTTP POSTs in the
 * 2025-11-25 (session) and 2026-07-28 (stateless, `_meta` envelope and Mcp-* headers) eras, and an
 * in-process stdio pipe. Plus a log capture and a secret search over replies, logs and store files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { App } from '../../src/app.js';
import { waitFor } from './gateway.js';

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
export const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** Every member name of Object.prototype (what a plain-object lookup would find for any key). */
export const PROTOTYPE_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

export interface RawReply {
  status: number;
  headers: Headers;
  /** The JSON-RPC message of the reply (the first non-empty SSE data line for a stream). */
  body: { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } } | undefined;
  text: string;
}

export async function postRaw(url: string, body: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<RawReply> {
  const res = await fetch(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  const isSse = res.headers.get('content-type')?.includes('text/event-stream');
  const data = text.split('\n').filter((l) => l.startsWith('data: ') && l.length > 6);
  let parsed: RawReply['body'];
  try {
    parsed = isSse ? (data.length ? JSON.parse(data[0]!.slice(6)) : undefined) : text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** The Mcp-* headers a 2026-07-28 client derives from a request (method, and the name for named calls). */
export function modernHeaders(message: { method?: unknown; params?: unknown }): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': '2026-07-28' };
  if (typeof message.method === 'string') headers['mcp-method'] = message.method;
  const params = (message.params ?? {}) as Record<string, unknown>;
  const name = message.method === 'resources/read' ? params.uri : message.method === 'tools/call' || message.method === 'prompts/get' ? params.name : undefined;
  if (typeof name === 'string' && /^[\x20-\x7e]*$/.test(name)) headers['mcp-name'] = name;
  return headers;
}

/** A 2026-07-28 request: the envelope is added to `params`, the headers derived from the message. */
export function postModern(url: string, message: { jsonrpc?: string; id?: unknown; method: string; params?: Record<string, unknown> }, headers: Record<string, string> = {}): Promise<RawReply> {
  const params = { ...(message.params ?? {}), _meta: { ...MODERN_META, ...((message.params?._meta as object | undefined) ?? {}) } };
  const full = { jsonrpc: '2.0', ...message, params };
  return postRaw(url, JSON.stringify(full), { ...modernHeaders(full), ...headers });
}

/** Opens a 2025-11-25 session with a raw initialize; returns its id. */
export async function openLegacySession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await postRaw(url, JSON.stringify(INIT), headers);
  if (res.status !== 200) throw new Error(`initialize answered ${res.status}: ${res.text}`);
  const sid = res.headers.get('mcp-session-id');
  if (!sid) throw new Error('no Mcp-Session-Id');
  await postRaw(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { ...headers, 'mcp-session-id': sid });
  return sid;
}

/** The stdio front door of an in-process app, on a pipe: raw lines in, parsed replies out. */
export class StdioPipe {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private buffered = '';
  readonly replies: Array<{ id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } }> = [];
  raw = '';

  constructor() {
    this.output.setEncoding('utf8');
    this.output.on('data', (chunk: string) => {
      this.raw += chunk;
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        if (line.trim() !== '') this.replies.push(JSON.parse(line));
      }
    });
  }

  static async serve(app: App): Promise<StdioPipe> {
    const pipe = new StdioPipe();
    await app.serveStdio(pipe.input, pipe.output);
    return pipe;
  }

  write(text: string): void {
    this.input.write(text);
  }

  send(message: unknown): void {
    this.input.write(`${JSON.stringify(message)}\n`);
  }

  /** The reply with this id (waits up to `ms`). */
  reply(id: unknown, ms = 5000): Promise<StdioPipe['replies'][number]> {
    return waitFor(() => this.replies.find((r) => r.id === id), ms, `stdio reply ${JSON.stringify(id)}`);
  }

  async initialize(): Promise<void> {
    this.send(INIT);
    await this.reply(INIT.id);
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }
}

/** A pino logger at debug level that keeps every line it writes. */
export function capturedLog(): { log: Logger; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), text: () => text };
}

/** The bytes of a SQLite store and its WAL/SHM files, as latin1 text (secrets are ASCII). */
export function storeBytes(storePath: string): string {
  const dir = dirname(storePath);
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => f.startsWith(storePath.slice(dir.length + 1)))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}
