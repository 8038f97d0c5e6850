/**
 * Session affinity and the server→client relay (issue 3).
 *
 * Which connection serves a request (`connectionFor`):
 * - 2026-07-28 upstream: always the shared connection. It never pushes; it asks through
 *   `input_required` results, which carry their own routing (see input-required.ts).
 * - 2025-era upstream, stateless modern client: shared (there is no session to bind to).
 * - 2025-era upstream, a session: `affinity: session` always binds; `auto` binds when the client
 *   declared sampling, elicitation or roots (the only capabilities a push can need), so clients that
 *   cannot answer pushes never cost a process; `shared` never binds.
 *
 * Relaying a push from a bound connection (`bridgeFor`): inspected like any message to the client
 * (block = JSON-RPC error to the upstream, redact = the rewritten params), then sent on the stream
 * of the session's newest request in flight to that upstream (`ctx.mcpReq.send`, so it rides that
 * POST), or on the session's standalone stream when nothing is in flight.
 */
import { ResultSchema } from '@modelcontextprotocol/core';
import type { Client } from '@modelcontextprotocol/client';
import { type Json, PUSH_METHODS, type PushMethod, WatchdogError } from '../../core/index.js';
import type { SessionBridge, Upstream } from '../../upstream/index.js';
import type { Inspector } from '../inspector.js';
import type { DownstreamSession, InFlight, SessionRegistry } from '../sessions.js';

export interface AffinityDeps {
  sessions: SessionRegistry;
  inspector: Inspector;
  /** Whether an upstream notification may go out under the rate guard (gateway.ts); default: always. */
  admitNotification?(upstream: string, method: string): boolean;
}

export function declaresPush(capabilities: Json): boolean {
  return Object.values(PUSH_METHODS).some((c) => capabilities[c] !== undefined);
}

export function wantsAffinity(upstream: Upstream, session: DownstreamSession | undefined): session is DownstreamSession {
  if (!session || upstream.era !== 'legacy') return false;
  const mode = upstream.config.affinity;
  if (mode === 'shared') return false;
  if (mode === 'session') return true;
  return declaresPush((session.server.getClientCapabilities() ?? {}) as Json);
}

/** The per-session client for this request, or undefined for the shared connection. */
export async function connectionFor(deps: AffinityDeps, upstream: Upstream, flight: InFlight): Promise<Client | undefined> {
  const session = flight.session;
  if (!wantsAffinity(upstream, session)) return undefined;
  return upstream.sessionClient(session.id, bridgeFor(deps, upstream.name, session));
}

export function bridgeFor(deps: AffinityDeps, upstream: string, session: DownstreamSession): SessionBridge {
  return {
    capabilities: (session.server.getClientCapabilities() ?? {}) as Json,
    request: (method, params) => relayPush(deps, upstream, session, method, params),
    notification: (n) => {
      if (deps.admitNotification?.(upstream, n.method) ?? true) deps.sessions.relayNotification(upstream, n, session.id);
    },
  };
}

async function relayPush(deps: AffinityDeps, upstream: string, session: DownstreamSession, method: PushMethod, params: Json): Promise<Json> {
  const declared = (session.server.getClientCapabilities() ?? {}) as Json;
  if (declared[PUSH_METHODS[method]] === undefined) throw new WatchdogError('WDG_CAPABILITY_MISSING', { capability: PUSH_METHODS[method] });
  const sent = await screenPush(deps, upstream, session.id, method, params);
  const origin = deps.sessions.origin(session.id, upstream);
  const request = { method, params: sent };
  const result = origin ? await origin.ctx.mcpReq.send(request, ResultSchema) : await session.server.request(request, ResultSchema);
  return result as Json;
}

/** Inspects a request on its way to the client: the params to send, or WDG_BLOCKED. */
export async function screenPush(deps: AffinityDeps, upstream: string, session: string | undefined, method: PushMethod, params: Json): Promise<Json> {
  const verdict = await deps.inspector.inspect({ method, direction: 'to_client', upstream, session, payload: params });
  if (verdict.kind === 'block') {
    throw new WatchdogError('WDG_BLOCKED', { reason: verdict.reason, finding: verdict.finding.id }, { finding: verdict.finding.id });
  }
  return verdict.kind === 'redact' ? (verdict.payload as Json) : params;
}
