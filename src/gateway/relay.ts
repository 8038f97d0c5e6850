/**
 * One downstream request relayed to its upstream, with everything the protocol carries alongside it
 * (issue 3): progress re-tagged with the client's own token (the SDK puts its own token upstream;
 * timeouts reset on progress), cancellation by the downstream's abort signal (the SDK sends the
 * upstream its own `notifications/cancelled`), the connection chosen by session affinity, the
 * downstream's capabilities and log level forwarded in `_meta` to 2026-07-28 upstreams (so their
 * capability checks answer -32021 for the real client), and `input_required` results passed through
 * or fulfilled (input-required.ts). A modern client's call to a 2025-era upstream that may push
 * runs parked (parking.ts). Notifications for the request are flushed before its result.
 */
import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
import type { Json, Upstream } from '../upstream/index.js';
import type { RequestMeters } from './metering.js';
import { connectionFor, type AffinityDeps } from './affinity.js';
import { fulfilForSession, isInputRequired } from './input-required.js';
import { parks, relayParked, splitProgressToken, type ParkingHost } from './parking.js';
import type { InFlight } from './sessions.js';

export interface RelayHost extends ParkingHost {
  upstream(name: string): Upstream;
  readonly meters: RequestMeters;
}

export async function relay(host: RelayHost, ctx: ServerContext, upstreamName: string, method: string, params: Json): Promise<Json> {
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
