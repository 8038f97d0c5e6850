/**
 * Parking (issue 3): a 2025-era upstream pushes `elicitation/create`, `sampling/createMessage` and
 * `roots/list` in the middle of a call, but a stateless 2026-07-28 client can only be asked through
 * an `input_required` result and answers on a new request. The gateway bridges the two:
 * - A modern client's `tools/call`, `prompts/get` or `resources/read` to such an upstream (unless
 *   `affinity: shared`; with `auto` only when the client declared sampling, elicitation or roots)
 *   runs on an exclusive parked connection declaring that client's capabilities
 *   (upstream/parked-connections.ts); past the pool's cap it runs on the shared connection.
 * - Each push is inspected like any message to the client (block = error to the upstream) and held;
 *   the client gets `input_required` whose `inputRequests` carry the pushes under keys the gateway
 *   mints and whose `requestState` is the gateway's sealed token (input-required.ts), bound to the
 *   method and principal and naming the upstream, the parked call, its round and its expiry.
 * - The retry's token is verified, the held pushes are resolved with its `inputResponses` (a
 *   missing or malformed answer is asked again), and the gateway waits for the upstream's result —
 *   or its next pushes, which make another round.
 * - A round expires before the upstream's own timeout would (and never later than 10 minutes);
 *   then the held pushes are refused, the upstream call is cancelled and its connection closed.
 *   When the pool is full, the call parked longest is expired early to make room (a client that
 *   abandons rounds must not lock everyone out of parking); only with every connection busy in an
 *   attached call does a new call fall back to the shared connection.
 *   Unknown, replayed, expired or forged states are WDG_REQUEST_STATE_INVALID (-32602).
 */
import { CLIENT_CAPABILITIES_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
import { type Clock, type Json, WatchdogError } from '../../core/index.js';
import type { LeaseSink, Upstream } from '../../upstream/index.js';
import { declaresPush, screenPush, type AffinityDeps } from './affinity.js';
import { invalidRequestState, type RequestStateSeal, type SealedState } from './input-required.js';
import { ParkedCall, type HeldPush, type RoundSink } from './parked-call.js';
import type { InFlight } from '../sessions.js';
import { splitProgressToken } from '../progress-token.js';

/** The methods a 2026-07-28 server may answer with `input_required` (SEP-2322). */
const PARKABLE = new Set(['tools/call', 'prompts/get', 'resources/read']);
/** Longest a round waits for the client (the SDK's state codec default). */
const MAX_ROUND_MS = 600_000;
/** A round expires at least this long before the upstream's own timeout. */
const MARGIN_MS = 1000;

export interface ParkingHost extends AffinityDeps {
  readonly requestState: RequestStateSeal;
  readonly parked: ParkedCalls;
  /** The time request state expires by (the gateway's clock). */
  readonly clock: Clock;
}

/** The calls currently parked, by id. */
export class ParkedCalls {
  private readonly calls = new Map<string, ParkedCall>();

  get size(): number {
    return this.calls.size;
  }

  add(call: ParkedCall): void {
    this.calls.set(call.id, call);
  }

  get(id: string): ParkedCall | undefined {
    return this.calls.get(id);
  }

  delete(id: string): void {
    this.calls.delete(id);
  }

  /** Expires the call of `upstream` parked longest; false when none is waiting for a client. */
  async evictOldest(upstream: string): Promise<boolean> {
    let oldest: ParkedCall | undefined;
    for (const call of this.calls.values()) {
      if (call.options.upstream !== upstream || call.parkedAt === undefined || !call.isRunning) continue;
      if (!oldest || call.parkedAt < (oldest.parkedAt ?? Infinity)) oldest = call;
    }
    if (!oldest) return false;
    this.calls.delete(oldest.id);
    oldest.cancel('expired early: the parked connection pool is full');
    await oldest.done;
    return true;
  }

  closeAll(): void {
    for (const call of this.calls.values()) call.cancel('the gateway is shutting down');
    this.calls.clear();
  }
}

function envelopeCapabilities(ctx: ServerContext): Json {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  return (envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? {}) as Json;
}

function principalOf(ctx: ServerContext): string {
  return ctx.http?.authInfo?.clientId ?? '';
}

function targetOf(params: Json): string {
  return String(params.name ?? params.uri ?? '');
}

/** Whether a modern client's request for `method` to `upstream` runs on a parked connection. */
export function parks(upstream: Upstream, ctx: ServerContext, method: string): boolean {
  if (upstream.era !== 'legacy' || !PARKABLE.has(method)) return false;
  const mode = upstream.config.affinity;
  if (mode === 'shared') return false;
  return mode === 'session' || declaresPush(envelopeCapabilities(ctx));
}

/**
 * Serves one modern request through parking: resumes the call its token names, or starts a new
 * parked call. Undefined when no parked connection is free (the caller uses the shared one).
 */
export async function relayParked(host: ParkingHost, flight: InFlight, upstream: Upstream, method: string, params: Json, state?: SealedState): Promise<Json | undefined> {
  if (state?.p !== undefined) return resume(host, flight, upstream, params, state);
  const capabilities = envelopeCapabilities(flight.ctx);
  let lease = await upstream.parkedLease(capabilities);
  if (!lease && (await host.parked.evictOldest(upstream.name))) lease = await upstream.parkedLease(capabilities);
  if (!lease) return undefined;
  const call = new ParkedCall({
    upstream: upstream.name,
    principal: principalOf(flight.ctx),
    target: targetOf(params),
    timeoutMs: upstream.timeoutMs,
    onEnd: (ended, aborted) => {
      // Ended while parked: the retry (or the round's expiry) removes it.
      if (!call.isParked) host.parked.delete(call.id);
      void lease.release(ended.kind === 'result' && !aborted).catch(() => undefined);
    },
  });
  host.parked.add(call);
  lease.bind(leaseSink(host, call));
  const { forwarded } = splitProgressToken(params);
  call.run((signal, onprogress) => upstream.request(method, forwarded, { via: lease.client, signal, onprogress }));
  return serveRound(host, flight, call, params);
}

/** Pushes on the call's connection: inspected, then held for the client; log messages follow the round. */
function leaseSink(host: ParkingHost, call: ParkedCall): LeaseSink {
  return {
    request: async (method, params) => call.push(method, await screenPush(host, call.options.upstream, undefined, method, params)),
    notification: (n) => {
      if (n.method === 'notifications/message' && (host.admitNotification?.(call.options.upstream, n.method) ?? true)) call.log(n.params ?? {});
    },
  };
}

async function resume(host: ParkingHost, flight: InFlight, upstream: Upstream, params: Json, state: SealedState): Promise<Json> {
  const call = host.parked.get(state.p ?? '');
  const o = call?.options;
  const valid =
    call !== undefined &&
    o?.upstream === upstream.name &&
    state.u === upstream.name &&
    o.principal === principalOf(flight.ctx) &&
    o.target === targetOf(params) &&
    call.round === state.r &&
    (state.e ?? 0) > host.clock.now();
  if (!valid || !call.claim()) throw invalidRequestState();
  const answered = call.answer(flight.ctx.mcpReq.inputResponses as Record<string, unknown> | undefined);
  if (!answered) {
    const outcome = call.reask();
    return askClient(host, flight.ctx, call, outcome.kind === 'input' ? outcome.asked : []);
  }
  return serveRound(host, flight, call, params);
}

/** Attaches this client request to the call until it ends or needs input. */
async function serveRound(host: ParkingHost, flight: InFlight, call: ParkedCall, params: Json): Promise<Json> {
  const { token } = splitProgressToken(params);
  const sink: RoundSink = {
    progress: (p) => {
      if (token !== undefined) flight.notify({ method: 'notifications/progress', params: { ...p, progressToken: token } });
    },
    log: (p) => flight.log(p),
  };
  let outcome;
  try {
    outcome = await call.next(sink, flight.ctx.mcpReq.signal);
  } catch (err) {
    host.parked.delete(call.id);
    call.cancel('the client cancelled the request');
    throw err;
  }
  if (outcome.kind !== 'input') host.parked.delete(call.id);
  if (outcome.kind === 'result') return outcome.result;
  if (outcome.kind === 'error') throw outcome.error;
  return askClient(host, flight.ctx, call, outcome.asked);
}

/** The `input_required` result for one round, and the call parked until its retry or expiry. */
async function askClient(host: ParkingHost, ctx: ServerContext, call: ParkedCall, asked: HeldPush[]): Promise<Json> {
  const { upstream, timeoutMs } = call.options;
  const ttl = Math.min(MAX_ROUND_MS, call.remainingMs() - MARGIN_MS);
  if (ttl <= 0) {
    host.parked.delete(call.id);
    call.cancel('no time left before the upstream timeout');
    throw new WatchdogError('WDG_UPSTREAM_TIMEOUT', { upstream, ms: timeoutMs });
  }
  const requestState = await host.requestState.mintParked(ctx, upstream, call.id, call.round, host.clock.now() + ttl);
  call.park(ttl, () => {
    host.parked.delete(call.id);
    call.cancel(`no answer within ${Math.ceil(ttl / 1000)} s`);
  });
  const inputRequests = Object.fromEntries(asked.map((p) => [p.key, { method: p.method, params: splitProgressToken(p.params).forwarded }]));
  return { resultType: 'input_required', inputRequests, requestState };
}
