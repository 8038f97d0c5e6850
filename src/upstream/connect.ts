/**
 * Opens one MCP client connection to an upstream described by config. stdio upstreams run in their own
 * process group (ProcessTransport); remote upstreams speak Streamable HTTP and fall back to the legacy
 * HTTP+SSE transport when the server answers the first POST with 400, 404 or 405 (MCP 2025-11-25,
 * "Backwards compatibility"). The client's own bearer token never reaches this module: only the
 * configured `headers` are sent.
 *
 * Era (issue 3): the first connection negotiates with `versionNegotiation: auto` (a `server/discover`
 * probe; on our process-group transport it runs in place), and the verdict is returned as `prior` so
 * every later connection to the same upstream (restarts, per-session connections) skips the probe.
 * A server that dies on the probe (some rmcp servers exit on any pre-`initialize` request) is retried
 * once as legacy. `input_required` results are never fulfilled here (`autoFulfill: false`): the gateway
 * passes them to modern clients or fulfils them itself for legacy sessions.
 * `upstreams[].protocol` pins the era instead: `legacy` never probes (plain `initialize`), `modern`
 * pins 2026-07-28 with no fallback (no legacy retry, no HTTP+SSE fallback), `auto` is the above.
 * Both kinds enforce `upstreams[].maxMessageBytes` (process-transport.ts, bounded-fetch.ts), and an upstream
 * with a `scope` hears its roots from the gateway alone (scope-roots.ts).
 */
import { Client, SSEClientTransport, StreamableHTTPClientTransport, type PriorDiscovery, type Transport } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import { isStdio, type UpstreamConfig } from '../config/schema.js';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../core/index.js';
import { boundedFetch } from './bounded-fetch.js';
import { ProcessTransport, type ProcessOptions } from './process-transport.js';
import { withScopeRoots } from './scope-roots.js';

export const GATEWAY_INFO = { name: PRODUCT_NAME, version: PRODUCT_VERSION } as const;

export type Era = 'modern' | 'legacy';
export type { PriorDiscovery };

export interface Connection {
  client: Client;
  transport: Transport;
  pid?: number;
  era: Era;
  /** The era verdict to reuse for the next connection to this upstream. */
  prior: PriorDiscovery;
}

export interface ConnectOptions {
  /** Client capabilities to declare upstream (mirrors the downstream client's for session connections). */
  capabilities?: Record<string, unknown>;
  /** Lets the caller register request/notification handlers before the handshake. */
  prepare?: (client: Client) => void;
  timeoutMs: number;
  /** A verdict from an earlier connection; absent = probe. */
  prior?: PriorDiscovery;
  /** For stdio upstreams: the group registry and the stderr sink. */
  process?: ProcessHooks;
}

/** What a stdio connection takes besides its config (whose name and `maxMessageBytes` it uses). */
export type ProcessHooks = Omit<ProcessOptions, 'upstream' | 'maxMessageBytes'>;

/** The probe never waits longer than this for a silent stdio server before treating it as legacy. */
const PROBE_TIMEOUT_MS = 5000;

/** The protocol revision `protocol: modern` pins. */
export const MODERN_REVISION = '2026-07-28';

export async function openConnection(upstream: UpstreamConfig, log: Logger, given: ConnectOptions): Promise<Connection> {
  const options = withScopeRoots(upstream, given);
  const mode = upstream.protocol;
  const prior = mode === 'legacy' ? { kind: 'legacy' as const } : options.prior;
  if (isStdio(upstream)) {
    const spec = { command: upstream.command, args: upstream.args, env: upstream.env, cwd: upstream.cwd };
    const processOptions = { ...options.process, upstream: upstream.name, maxMessageBytes: upstream.maxMessageBytes };
    const attempt = (p?: PriorDiscovery) => connectOver(new ProcessTransport(spec, log, processOptions), options, mode, p);
    if (prior || mode === 'modern') return attempt(prior);
    try {
      return await attempt();
    } catch (err) {
      log.info({ err: String(err) }, 'era probe failed; connecting in the 2025 era');
      return attempt({ kind: 'legacy' });
    }
  }
  const url = new URL(upstream.url);
  const requestInit = { headers: { ...upstream.headers } };
  const fetch = boundedFetch(upstream.name, upstream.maxMessageBytes);
  try {
    return await connectOver(new StreamableHTTPClientTransport(url, { requestInit, fetch }), options, mode, prior);
  } catch (err) {
    if (mode === 'modern' || !isLegacyTransportAnswer(err)) throw err;
    log.info({ url: redactUrl(url) }, 'upstream does not speak Streamable HTTP; falling back to HTTP+SSE');
    return connectOver(new SSEClientTransport(url, { requestInit, fetch }), options, mode, { kind: 'legacy' });
  }
}

type ProtocolMode = UpstreamConfig['protocol'];

function negotiation(mode: ProtocolMode, timeoutMs: number): { mode: 'legacy' | 'auto' | { pin: string }; probe?: { timeoutMs: number } } {
  if (mode === 'legacy') return { mode: 'legacy' };
  const probe = { timeoutMs: Math.min(timeoutMs, PROBE_TIMEOUT_MS) };
  return { mode: mode === 'modern' ? { pin: MODERN_REVISION } : 'auto', probe };
}

async function connectOver(transport: Transport, options: ConnectOptions, mode: ProtocolMode, prior: PriorDiscovery | undefined): Promise<Connection> {
  const client = new Client(
    { ...GATEWAY_INFO },
    {
      capabilities: options.capabilities ?? {},
      versionNegotiation: negotiation(mode, options.timeoutMs),
      inputRequired: { autoFulfill: false },
    },
  );
  options.prepare?.(client);
  try {
    await client.connect(transport, { timeout: options.timeoutMs, ...(prior && { prior }) });
  } catch (err) {
    await transport.close().catch(() => undefined);
    throw err;
  }
  const discover = client.getDiscoverResult();
  const era: Era = client.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
  const verdict: PriorDiscovery = era === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' };
  return { client, transport, pid: transport instanceof ProcessTransport ? transport.pid : undefined, era, prior: verdict };
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
