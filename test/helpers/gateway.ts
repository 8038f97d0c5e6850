/**
 * Test harness: runs the real gateway in-process (real upstream processes, real sockets on
 * 127.0.0.1) from a YAML text, and connects real SDK clients to it.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import pino, { type Logger } from 'pino';
import { createApp, type App, type AppDeps } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const NODE = process.execPath;
export const TOY = join(ROOT, 'test/fixtures/toy-server.mjs');
export const npmServer = (pkg: string) => join(ROOT, 'node_modules/@modelcontextprotocol', pkg, 'dist/index.js');

export function tempDir(prefix = 'watchdog-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RunningGateway {
  app: App;
  url: string;
  close(): Promise<void>;
}

export const quietLog = (): Logger => pino({ level: 'silent' });

export async function startGateway(yaml: string, options: { log?: Logger; baseDir?: string; deps?: Partial<AppDeps> } = {}): Promise<RunningGateway> {
  const baseDir = options.baseDir ?? tempDir();
  const { config } = parseConfig(yaml, { file: 'test.yaml', baseDir, env: process.env });
  // The watch's default files live under a fresh home, never the real one (issue 11); a test that watches sets `watch.files`.
  const app = createApp(config, { log: options.log ?? quietLog(), backoff: { initialMs: 200, maxMs: 1000, stableMs: 60_000 }, home: tempDir('watch-home-'), ...options.deps });
  const door = await app.serveHttp();
  return { app, url: door.url, close: () => app.close() };
}

export async function connectHttp(url: string, options: { capabilities?: Record<string, unknown>; legacy?: boolean; headers?: Record<string, string> } = {}): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  if (options.legacy !== false) client.setVersionNegotiation({ mode: 'legacy' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: options.headers ?? {} } }));
  return client;
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

/** A TCP port free on 127.0.0.1 right now (for a child process that must be told its port up front). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
