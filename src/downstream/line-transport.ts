/**
 * The server side of MCP's stdio transport: newline-delimited JSON-RPC on a readable/writable pair.
 * Unlike the SDK's StdioServerTransport it answers bad input itself, as JSON-RPC 2.0 requires:
 * a line that is not JSON gets -32700 (id null), JSON that is not a JSON-RPC message gets -32600,
 * and the connection keeps serving. JSON nested deeper than json-depth.ts allows is -32600 too (issue 7,
 * item 12). A line longer than `maxLineBytes` is discarded whole, up to its newline, and answered -32600
 * (with its id when the line's ends show one): framing is the upstream's LineFramer, so nothing after the
 * limit can be read as a message of its own (issue 7, item 13: a request smuggled behind 2 MiB of padding).
 */
import type { Readable, Writable } from 'node:stream';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/core';
import type { Transport } from '@modelcontextprotocol/server';
import { ownValue } from '../core/index.js';
import { LineFramer, recoverEnvelope, type OversizedLine } from '../upstream/index.js';
import { nestedDeeperThan, TOO_DEEP_MESSAGE } from './json-depth.js';

type JSONRPCMessage = Parameters<Transport['send']>[0];

/**
 * Whether the SDK's schema accepts `value` as a JSON-RPC message. The message handed on is the value as
 * it arrived (what the client sent, not the schema's copy), and the check is what makes it one: no cast.
 */
function isJsonRpcMessage(value: unknown): value is JSONRPCMessage {
  return JSONRPCMessageSchema.safeParse(value).success;
}

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly framer: LineFramer;
  private closed = false;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly maxLineBytes: number,
  ) {
    this.framer = new LineFramer(maxLineBytes, { line: (text) => this.handleLine(text), oversized: (line) => this.rejectOversized(line) });
  }

  async start(): Promise<void> {
    this.input.on('data', (chunk: Buffer | string) => this.framer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
    this.input.on('end', () => void this.close());
    this.input.on('error', (err) => this.onerror?.(err));
    this.output.on('error', (err) => this.onerror?.(err));
  }

  /** The whole oversized line was discarded (up to its newline); its id, when the ends show one, gets the error. */
  private rejectOversized(line: OversizedLine): void {
    const { id } = recoverEnvelope(line.head, line.tail);
    this.reject(id ?? null, -32600, `Invalid Request: message exceeds ${this.maxLineBytes} bytes`);
  }

  private handleLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.reject(null, -32700, 'Parse error: not valid JSON');
    }
    if (nestedDeeperThan(value)) return this.reject(idOf(value), -32600, TOO_DEEP_MESSAGE);
    if (!isJsonRpcMessage(value)) return this.reject(idOf(value), -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
    this.onmessage?.(value);
  }

  private reject(id: string | number | null, code: number, message: string): void {
    void this.write({ jsonrpc: '2.0', id, error: { code, message } });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(message);
  }

  private write(message: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}

/** The id of a message that is rejected, when it has a usable one (else null, as JSON-RPC 2.0 says). */
function idOf(value: unknown): string | number | null {
  const id = Array.isArray(value) ? null : ownValue(value, 'id');
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
