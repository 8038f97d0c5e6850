/**
 * One downstream request relayed to its upstream, with everything the protocol carries alongside it
 * (issue 3): progress re-tagged with the client's own token (the SDK puts its own token upstream;
 * timeouts reset on progress), cancellation by the downstream's abort signal (the SDK sends the
 * upstream its own `notifications/cancelled`), the connection chosen by session affinity, the
 * downstream's capabilities and log level forwarded in `_meta` to 2026-07-28 upstreams (so their
 * capability checks answer -32021 for the real client), and `input_required` results passed through
 * or fulfilled (era-bridge/input-required.ts). A modern client's call to a 2025-era upstream that may push
 * runs parked (era-bridge/parking.ts). Notifications for the request are flushed before its result.
 * A JSON-RPC error the upstream answers with is inspected like a result (issue 7, item 4): its message
 * and data reach the client redacted, or the error is replaced by WDG_BLOCKED.
 */
import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, ProtocolError, type ServerContext } from '@modelcontextprotocol/server';
import { type Json, WatchdogError } from '../core/index.js';
import type { Upstream } from '../upstream/index.js';
import type { RequestMeters } from './metering.js';
import { connectionFor, type AffinityDeps } from './era-bridge/affinity.js';
import { fulfilForSession, isInputRequired } from './era-bridge/input-required.js';
import { parks, relayParked, type ParkingHost } from './era-bridge/parking.js';
import { splitProgressToken } from './progress-token.js';
import type { InFlight } from './sessions.js';

export interface RelayHost extends ParkingHost {
  upstream(name: string): Upstream;
  readonly meters: RequestMeters;
}

export async function relay(host: RelayHost, ctx: ServerContext, upstreamName: string, method: string, params: Json): Promise<Json> {
  try {
    return await relayOnce(host, ctx, upstreamName, method, params);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    throw await screenError(host, ctx, upstreamName, method, err);
  }
}

/** The error to send the client instead of `err`: itself, a redacted copy, or WDG_BLOCKED. */
async function screenError(host: RelayHost, ctx: ServerContext, upstream: string, method: string, err: ProtocolError): Promise<Error> {
  const error = { code: err.code, message: err.message, ...(err.data !== undefined && { data: err.data }) };
  const verdict = await host.inspector.inspect({ method, direction: 'to_client', upstream, session: ctx.sessionId, payloadKind: 'error', payload: { error } });
  if (verdict.kind === 'pass') return err;
  if (verdict.kind === 'block') return new WatchdogError('WDG_BLOCKED', { reason: verdict.reason, finding: verdict.finding.id }, { finding: verdict.finding.id });
  const redacted = (verdict.payload as { error: typeof error }).error;
  return new ProtocolError(err.code, redacted.message, redacted.data);
}

async function relayOnce(host: RelayHost, ctx: ServerContext, upstreamName: string, method: string, params: Json): Promise<Json> {
  const upstream = host.upstream(upstreamName);
  return host.meters.upstream(ctx, upstreamName, () => host.sessions.track(ctx, upstreamName, async (flight) => {
    const modernClient = ctx.mcpReq.envelope !== undefined;
    const state = modernClient ? await host.requestState.open(ctx) : undefined;
    if (modernClient && (state?.p !== undefined || parks(upstream, ctx, method))) {
      const parked = await relayParked(host, flight, upstream, method, params, state);
      if (parked) return parked;
    }
    const { forwarded, onprogress } = withProgressRelay(params, flight);
    const via = await connectionFor(host, upstream, flight);
    const options = { signal: ctx.mcpReq.signal, onprogress, via, meta: forwardedMeta(flight) };
    const call = (extra: Json) => upstream.request(method, { ...forwarded, ...extra }, options);
    const first = await call(modernClient ? await host.requestState.incoming(ctx, upstreamName, state) : {});
    if (!isInputRequired(first)) return first;
    if (modernClient) return host.requestState.outgoing(first, ctx, upstreamName);
    return fulfilForSession(host, flight, method, first, call);
  }));
}

/** Strips the client's progress token from what goes upstream and re-tags upstream progress with it. */
function withProgressRelay(params: Json, flight: InFlight): { forwarded: Json; onprogress?: (progress: Json) => void } {
  const { forwarded, token } = splitProgressToken(params);
  if (token === undefined) return { forwarded };
  const onprogress = (progress: Json) => flight.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } });
  return { forwarded, onprogress };
}

/**
 * `_meta` for a 2026-07-28 upstream: the capabilities of the client the request comes from (a modern
 * request's envelope, or the session's `initialize`), and a log level — the modern request's own, or
 * `debug` for sessions, whose own `logging/setLevel` filters at the gateway.
 */
function forwardedMeta(flight: InFlight): Json {
  const envelope = flight.ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope !== undefined) {
    const meta: Json = {};
    if (envelope[CLIENT_CAPABILITIES_META_KEY] !== undefined) meta[CLIENT_CAPABILITIES_META_KEY] = envelope[CLIENT_CAPABILITIES_META_KEY];
    if (envelope[LOG_LEVEL_META_KEY] !== undefined) meta[LOG_LEVEL_META_KEY] = envelope[LOG_LEVEL_META_KEY];
    return meta;
  }
  const capabilities = flight.session?.server.getClientCapabilities() ?? {};
  return { [CLIENT_CAPABILITIES_META_KEY]: capabilities, [LOG_LEVEL_META_KEY]: 'debug' };
}
