/**
 * The stdio front door: the merged server on stdin/stdout for assistants that spawn the gateway.
 * stdout carries only JSON-RPC (logs go to stderr); when stdin ends, the gateway shuts down.
 */
import type { Readable, Writable } from 'node:stream';
import type { Gateway } from '../gateway/index.js';
import { newStdioSessionId } from '../gateway/index.js';
import { LineTransport } from './line-transport.js';

export interface StdioFrontDoor {
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(gateway: Gateway, input: Readable, output: Writable, maxBytes: number): Promise<StdioFrontDoor> {
  const transport = new LineTransport(input, output, maxBytes);
  const server = gateway.createServer();
  const id = newStdioSessionId();
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const close = async () => {
    gateway.sessions.remove(id);
    await server.close().catch(() => undefined);
  };
  gateway.sessions.add(id, server, close, { sessionless: true });
  server.onclose = () => {
    gateway.sessions.remove(id);
    markClosed();
  };
  await server.connect(transport);
  return { closed, close };
}
