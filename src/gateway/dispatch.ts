/**
 * Request dispatch for the merged server. Every downstream request lands in one fallback handler
 * (the low-level Server re-validates and reorders results of handlers registered per spec method,
 * which would break byte-for-byte passthrough), and is routed here by method. Each handler maps
 * public names/URIs to the owning upstream, inspects the message both ways, and relays verbatim
 * (relay.ts carries progress, cancellation, affinity and input_required along).
 * `tasks/*` is not forwarded (no `tasks` capability; see upstream/catalog-slice.ts), so a stray
 * task-augmentation parameter is dropped and the call runs synchronously.
 * Params are checked against the spec's schemas first (params.ts): -32602, nothing forwarded.
 */
import { ProtocolError, type ServerContext } from '@modelcontextprotocol/server';
import { type Json, toJsonRpcError, type Verdict, WatchdogError } from '../core/index.js';
import { routeUri, type MergedCatalog, type Route } from './catalog.js';
import type { Inspector } from './inspector.js';
import { checkParams } from './params.js';
import { principalOf } from './principal.js';
import type { RateGuard } from './rate-guard.js';
import { relay, type RelayHost } from './relay.js';
import type { DownstreamSession } from './sessions.js';

/** What dispatch needs of the gateway: an interface, so gateway.ts imports this file and not the reverse. */
export interface DispatchHost extends RelayHost {
  readonly catalog: MergedCatalog;
  readonly inspector: Inspector;
  routeTool(name: string): Route;
  routePrompt(name: string): Route;
  knownResource(uri: string): Route | undefined;
  session(id: string | undefined): DownstreamSession | undefined;
  /** The principal of requests without an authenticated identity. */
  readonly localPrincipal: string;
  /** Refuses calls over their rate limit (rate-guard.ts). */
  readonly rateGuard: Pick<RateGuard, 'admitCall'>;
}

/** Whose request this is: the session (stdio's own id included) and the principal, for the envelope. */
function origin(gw: DispatchHost, ctx: ServerContext): { session?: string; principal: string } {
  const session = gw.session(ctx.sessionId)?.id ?? ctx.sessionId;
  return { ...(session === undefined ? {} : { session }), principal: principalOf(ctx, gw.localPrincipal) };
}

type Handler = (gw: DispatchHost, params: Json, ctx: ServerContext) => Promise<Json>;

/**
 * Keyed by the client's method name, so a Map: a plain object would answer `constructor`, `toString`
 * or `__proto__` with Object.prototype's members (issue 7, item 1: `constructor` returned the Gateway).
 */
const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['tools/list', async (gw) => ({ tools: gw.catalog.tools })],
  ['prompts/list', async (gw) => ({ prompts: gw.catalog.prompts })],
  ['resources/list', async (gw) => ({ resources: gw.catalog.resources })],
  ['resources/templates/list', async (gw) => ({ resourceTemplates: gw.catalog.resourceTemplates })],
  ['tools/call', callTool],
  ['prompts/get', getPrompt],
  ['resources/read', (gw, params, ctx) => relayByUri(gw, 'resources/read', params, ctx)],
  ['resources/subscribe', subscribe],
  ['resources/unsubscribe', unsubscribe],
  ['completion/complete', complete],
]);

/** Methods the SDK's Server answers itself before the fallback handler (never 404 on the modern leg). */
const BUILT_IN = new Set(['initialize', 'ping', 'logging/setLevel', 'server/discover', 'subscriptions/listen']);

/** Whether a request method is served at all (the HTTP front door answers others with 404). */
export function isServedMethod(method: string): boolean {
  return HANDLERS.has(method) || BUILT_IN.has(method);
}

export async function dispatch(gw: DispatchHost, method: string, params: Json | undefined, ctx: ServerContext): Promise<Json> {
  const handler = HANDLERS.get(method);
  if (!handler) throw new ProtocolError(-32601, `Method not found: ${method}`);
  gw.meters.begin(ctx);
  try {
    checkParams(method, params);
    const result = await handler(gw, params ?? {}, ctx);
    gw.meters.end(ctx, method);
    return result;
  } catch (err) {
    gw.meters.end(ctx, method, err);
    if (err instanceof WatchdogError) {
      const e = toJsonRpcError(err);
      throw new ProtocolError(e.code, e.message, e.data);
    }
    throw err;
  }
}

function requireString(params: Json, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') throw new ProtocolError(-32602, `Invalid params: "${key}" must be a non-empty string`);
  return value;
}

/** A blocked tool call becomes a tool error the model can read, with the finding id. */
function blockedResult(verdict: Extract<Verdict, { kind: 'block' }>): Json {
  const text = `blocked by mcp-watchdog: ${verdict.reason}, finding ${verdict.finding.id}`;
  return { content: [{ type: 'text', text }], isError: true };
}

async function callTool(gw: DispatchHost, params: Json, ctx: ServerContext): Promise<Json> {
  const name = requireString(params, 'name');
  const route = gw.routeTool(name);
  const { task: _notForwarded, ...call } = params;
  const forwarded = { ...call, name: route.name };
  const who = origin(gw, ctx);
  // Before inspection and relay: a refused call costs nothing upstream and no token (issue 11).
  await gw.rateGuard.admitCall(who, route.upstream, name);
  const envelope = { method: 'tools/call', upstream: route.upstream, ...who, tool: name };
  const outbound = await gw.inspector.inspect({ ...envelope, direction: 'to_upstream', payload: forwarded });
  if (outbound.kind === 'block') {
    gw.meters.blocked(ctx);
    return blockedResult(outbound);
  }
  const payload = outbound.kind === 'redact' ? (outbound.payload as Json) : forwarded;
  const result = await relay(gw, ctx, route.upstream, 'tools/call', payload);
  const inbound = await gw.inspector.inspect({ ...envelope, direction: 'to_client', payload: result });
  if (inbound.kind === 'block') gw.meters.blocked(ctx);
  return applyVerdict(inbound, result, true);
}

function applyVerdict(verdict: Verdict, original: Json, asToolError: boolean): Json {
  if (verdict.kind === 'pass') return original;
  if (verdict.kind === 'redact') return verdict.payload as Json;
  if (asToolError) return blockedResult(verdict);
  throw new WatchdogError('WDG_BLOCKED', { reason: verdict.reason, finding: verdict.finding.id }, { finding: verdict.finding.id });
}

async function getPrompt(gw: DispatchHost, params: Json, ctx: ServerContext): Promise<Json> {
  const name = requireString(params, 'name');
  const route = gw.routePrompt(name);
  const result = await relay(gw, ctx, route.upstream, 'prompts/get', { ...params, name: route.name });
  const verdict = await gw.inspector.inspect({ method: 'prompts/get', direction: 'to_client', upstream: route.upstream, ...origin(gw, ctx), payload: result });
  return applyVerdict(verdict, result, false);
}

async function relayByUri(gw: DispatchHost, method: string, params: Json, ctx: ServerContext): Promise<Json> {
  const uri = requireString(params, 'uri');
  const route = routeUri(gw.catalog, uri) ?? gw.knownResource(uri);
  if (!route) throw new WatchdogError('WDG_UNKNOWN_RESOURCE', { uri });
  const result = await relay(gw, ctx, route.upstream, method, { ...params, uri: route.name });
  if (method !== 'resources/read') return result;
  const verdict = await gw.inspector.inspect({ method, direction: 'to_client', upstream: route.upstream, ...origin(gw, ctx), payload: result });
  return applyVerdict(verdict, withPublicUris(result, route.name, uri), false);
}

/** A read of a rewritten URI answers with the URI the client asked for. */
function withPublicUris(result: Json, upstreamUri: string, publicUri: string): Json {
  if (upstreamUri === publicUri || !Array.isArray(result.contents)) return result;
  return { ...result, contents: (result.contents as Json[]).map((c) => (c.uri === upstreamUri ? { ...c, uri: publicUri } : c)) };
}

async function subscribe(gw: DispatchHost, params: Json, ctx: ServerContext): Promise<Json> {
  const uri = requireString(params, 'uri');
  const result = await relayByUri(gw, 'resources/subscribe', params, ctx);
  gw.session(ctx.sessionId)?.subscriptions.add(uri);
  return result;
}

async function unsubscribe(gw: DispatchHost, params: Json, ctx: ServerContext): Promise<Json> {
  const uri = requireString(params, 'uri');
  gw.session(ctx.sessionId)?.subscriptions.delete(uri);
  return relayByUri(gw, 'resources/unsubscribe', params, ctx);
}

async function complete(gw: DispatchHost, params: Json, ctx: ServerContext): Promise<Json> {
  const ref = params.ref as Json | undefined;
  if (!ref || typeof ref.type !== 'string') throw new ProtocolError(-32602, 'Invalid params: "ref" is required');
  if (ref.type === 'ref/prompt') {
    const route = gw.routePrompt(requireString(ref, 'name'));
    return relay(gw, ctx, route.upstream, 'completion/complete', { ...params, ref: { ...ref, name: route.name } });
  }
  const uri = requireString(ref, 'uri');
  const route = routeUri(gw.catalog, uri);
  if (!route) throw new WatchdogError('WDG_UNKNOWN_RESOURCE', { uri });
  return relay(gw, ctx, route.upstream, 'completion/complete', { ...params, ref: { ...ref, uri: route.name } });
}
