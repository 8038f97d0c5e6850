/**
 * `input_required` results (2026-07-28, SEP-2322) across the gateway (issue 3).
 * - To a 2026-07-28 client: passed through. The upstream's `requestState` is sealed inside the
 *   gateway's own signed token (HMAC, per-gateway random key, bound to the method and principal, and
 *   naming the upstream), so a client can neither forge state nor replay one upstream's state at
 *   another; on the retry the gateway verifies it and hands the upstream its own state back, with the
 *   client's `inputResponses` (the SDK lifts both out of `params` before a handler runs).
 * - To a 2025-era session: the gateway fulfils it, like the SDK's legacy shim does for servers (which
 *   does not apply to a fallback handler): each embedded request is inspected, checked against the
 *   client's declared capabilities and sent as a real request on the originating POST's stream, then
 *   the upstream call is retried with the answers. Failures surface per family: an `isError` result
 *   for tools/call, a JSON-RPC error otherwise.
 * - A 2025-era upstream's pushes to a modern client (parking.ts) travel the other way, with the same
 *   seal: the token then names the parked call and its round, and carries its own expiry.
 */
import { randomBytes } from 'node:crypto';
import { ResultSchema } from '@modelcontextprotocol/core';
import { ProtocolError, createRequestStateCodec, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';
import { type Json, ownValue, type PushMethod, WatchdogError } from '../../core/index.js';
import { pushCapability } from '../../upstream/index.js';
import { screenPush, type AffinityDeps } from './affinity.js';
import type { InFlight } from '../sessions.js';

/** Rounds per originating request, as the SDK's shim (a live request stays open for all of them). */
const MAX_ROUNDS = 8;
/** Pause before a retry that carries only `requestState` (nothing to ask the user). */
const STATE_ONLY_PACING_MS = 250;
/** How long a sealed requestState stays valid; default of the SDK codec. */
const STATE_TTL_SECONDS = 600;

export function isInputRequired(result: Json): boolean {
  return result.resultType === 'input_required';
}

/** What the gateway's token carries: the upstream, and its own state or a parked call. */
export interface SealedState {
  /** Upstream name. */
  u: string;
  /** The upstream's own requestState (2026-07-28 upstreams). */
  s?: string;
  /** Parked call id, its round, and when this round expires (epoch ms); parking.ts. */
  p?: string;
  r?: number;
  e?: number;
}

export function invalidRequestState(): WatchdogError {
  return new WatchdogError('WDG_REQUEST_STATE_INVALID', {}, { reason: 'invalid_request_state' });
}

export class RequestStateSeal {
  private readonly codec: RequestStateCodec<SealedState>;

  constructor(key: Uint8Array = randomBytes(32)) {
    this.codec = createRequestStateCodec<SealedState>({
      key,
      ttlSeconds: STATE_TTL_SECONDS,
      bind: (ctx) => `${ctx.mcpReq.method}\0${ctx.http?.authInfo?.clientId ?? ''}`,
    });
  }

  /** The verified state of a modern client's retry, if it carries one; forged or expired = WDG_REQUEST_STATE_INVALID. */
  async open(ctx: ServerContext): Promise<SealedState | undefined> {
    const raw: unknown = ctx.mcpReq.requestState();
    if (raw === undefined) return undefined;
    try {
      if (typeof raw !== 'string') throw new Error('malformed');
      return await this.codec.verify(raw, ctx);
    } catch {
      throw invalidRequestState();
    }
  }

  /** What a modern client's retry carries for the upstream: its answers and the upstream's own state. */
  async incoming(ctx: ServerContext, upstream: string, state?: SealedState): Promise<Json> {
    const extra: Json = {};
    if (ctx.mcpReq.inputResponses !== undefined) extra.inputResponses = ctx.mcpReq.inputResponses;
    if (state === undefined) return extra;
    if (state.u !== upstream || state.p !== undefined) throw invalidRequestState();
    if (state.s !== undefined) extra.requestState = state.s;
    return extra;
  }

  /** A token for one round of a parked call (parking.ts), bound like every other state. */
  mintParked(ctx: ServerContext, upstream: string, call: string, round: number, expiresAt: number): Promise<string> {
    return this.codec.mint({ u: upstream, p: call, r: round, e: expiresAt }, ctx);
  }

  /** The result for a modern client: the upstream's state sealed (always, so the retry finds its upstream). */
  async outgoing(result: Json, ctx: ServerContext, upstream: string): Promise<Json> {
    const upstreamState = typeof result.requestState === 'string' ? result.requestState : undefined;
    return { ...result, requestState: await this.codec.mint({ u: upstream, s: upstreamState }, ctx) };
  }
}

type Retry = (extra: Json) => Promise<Json>;

/** Fulfils `input_required` for a 2025-era session by real server→client requests, then retries. */
export async function fulfilForSession(deps: AffinityDeps, flight: InFlight, method: string, first: Json, retry: Retry): Promise<Json> {
  let current = first;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    if (!isInputRequired(current)) return current;
    const requests = Object.entries((current.inputRequests ?? {}) as Record<string, Json>);
    const refused = refusal(flight, requests);
    if (refused) return failure(method, refused);
    let inputResponses: Json | undefined;
    try {
      const answers = await Promise.all(requests.map(async ([key, embedded]) => [key, await ask(deps, flight, embedded)] as const));
      inputResponses = requests.length > 0 ? Object.fromEntries(answers) : undefined;
    } catch (err) {
      if (flight.ctx.mcpReq.signal.aborted) throw err;
      return failure(method, `Fulfilling input required by '${method}' failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (requests.length === 0) await new Promise((r) => setTimeout(r, STATE_ONLY_PACING_MS));
    const extra: Json = { ...(inputResponses && { inputResponses }), ...(typeof current.requestState === 'string' && { requestState: current.requestState }) };
    current = await retry(extra);
  }
  return isInputRequired(current) ? failure(method, `'${method}' still required input after ${MAX_ROUNDS} rounds`) : current;
}

function refusal(flight: InFlight, requests: Array<[string, Json]>): string | undefined {
  const declared = (flight.session?.server.getClientCapabilities() ?? {}) as Json;
  for (const [key, embedded] of requests) {
    const capability = pushCapability(embedded.method);
    if (!capability) return `input request '${key}' has an unknown kind '${String(embedded.method)}'`;
    if (ownValue(declared, capability) === undefined) return `Cannot request input '${key}' (${String(embedded.method)}): the client did not declare the ${capability} capability`;
  }
  return undefined;
}

async function ask(deps: AffinityDeps, flight: InFlight, embedded: Json): Promise<Json> {
  const method = embedded.method as PushMethod;
  let params = (embedded.params ?? {}) as Json;
  // The 2025-11-25 wire requires an elicitationId for URL mode; the in-band 2026 shape has none.
  if (method === 'elicitation/create' && params.mode === 'url' && params.elicitationId === undefined) params = { ...params, elicitationId: crypto.randomUUID() };
  const sent = await screenPush(deps, flight.upstream, flight.session?.id, method, params);
  return (await flight.ctx.mcpReq.send({ method, params: sent }, ResultSchema)) as Json;
}

function failure(method: string, message: string): Json {
  if (method === 'tools/call') return { content: [{ type: 'text', text: message }], isError: true };
  throw new ProtocolError(-32603, message);
}
