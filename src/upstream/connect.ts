/**
 * Opens one MCP client connection to an upstream described by config. stdio upstreams run in their own
 * process group (ProcessTransport); remote upstreams speak Streamable HTTP and fall back to the legacy
 * HTTP+SSE transport when the server answers the first POST with 400, 404 or 405 (MCP 2025-11-25,
 * "Backwards compatibility"). The client's own bearer token never reaches this module: only the
 * configured `headers` are sent.
 */
import { Client, SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import { isStdio, type UpstreamConfig } from '../config/schema.js';
import { ProcessTransport } from './process-transport.js';

export const GATEWAY_INFO = { name: 'mcp-watchdog', version: '0.1.0' } as const;

export interface Connection {
  client: Client;
  transport: Transport;
  pid?: number;
}

export interface ConnectOptions {
  /** Client capabilities to declare upstream (mirrors the downstream client's for session connections). */
  capabilities?: Record<string, unknown>;
  /** Lets the caller register request/notification handlers before the handshake. */
  prepare?: (client: Client) => void;
  timeoutMs: number;
}

export async function openConnection(upstream: UpstreamConfig, log: Logger, options: ConnectOptions): Promise<Connection> {
  if (isStdio(upstream)) {
    const transport = new ProcessTransport({ command: upstream.command, args: upstream.args, env: upstream.env, cwd: upstream.cwd }, log);
    const client = newClient(options);
    // stdio upstreams are connected in the 2025 era: `auto` would spawn a sibling probe process.
    client.setVersionNegotiation({ mode: 'legacy' });
    await client.connect(transport, { timeout: options.timeoutMs });
    return { client, transport, pid: transport.pid };
  }
  const url = new URL(upstream.url);
  const requestInit = { headers: { ...upstream.headers } };
  const client = newClient(options);
  try {
    const transport = new StreamableHTTPClientTransport(url, { requestInit });
    await client.connect(transport, { timeout: options.timeoutMs });
    return { client, transport };
  } catch (err) {
    if (!isLegacyTransportAnswer(err)) throw err;
    log.info({ url: redactUrl(url) }, 'upstream does not speak Streamable HTTP; falling back to HTTP+SSE');
    const fallback = newClient(options);
    fallback.setVersionNegotiation({ mode: 'legacy' });
    const transport = new SSEClientTransport(url, { requestInit });
    await fallback.connect(transport, { timeout: options.timeoutMs });
    return { client: fallback, transport };
  }
}

function newClient(options: ConnectOptions): Client {
  const client = new Client({ ...GATEWAY_INFO }, { capabilities: options.capabilities ?? {} });
  options.prepare?.(client);
  return client;
}

function isLegacyTransportAnswer(err: unknown): boolean {
  const status = (err as { code?: unknown; status?: unknown; data?: { status?: unknown } } | undefined);
  const candidates = [status?.code, status?.status, status?.data?.status];
  if (candidates.some((c) => c === 400 || c === 404 || c === 405)) return true;
  return /\b(400|404|405)\b/.test(String((err as Error | undefined)?.message ?? ''));
}

/** A URL safe to log: no userinfo, no query (both may carry secrets). */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
