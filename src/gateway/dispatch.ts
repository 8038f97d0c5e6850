/**
 * Request dispatch for the merged server. Every downstream request lands in one fallback handler
 * (the low-level Server re-validates and reorders results of handlers registered per spec method,
 * which would break byte-for-byte passthrough), and is routed here by method. Each handler maps
 * public names/URIs to the owning upstream, inspects the message both ways, and relays verbatim.
 */
import { ProtocolError, type ServerContext } from '@modelcontextprotocol/server';
import { WatchdogError, toJsonRpcError, type Verdict } from '../core/index.js';
import type { Json } from '../upstream/index.js';
import { routeUri } from './catalog.js';
import type { Gateway } from './gateway.js';

type Handler = (gw: Gateway, params: Json, ctx: ServerContext) => Promise<Json>;

const HANDLERS: Record<string, Handler> = {
  'tools/list': async (gw) => ({ tools: gw.catalog.tools }),
  'prompts/list': async (gw) => ({ prompts: gw.catalog.prompts }),
  'resources/list': async (gw) => ({ resources: gw.catalog.resources }),
  'resources/templates/list': async (gw) => ({ resourceTemplates: gw.catalog.resourceTemplates }),
  'tools/call': callTool,
  'prompts/get': getPrompt,
  'resources/read': (gw, params, ctx) => relayByUri(gw, 'resources/read', params, ctx),
  'resources/subscribe': subscribe,
  'resources/unsubscribe': unsubscribe,
  'completion/complete': complete,
};

export async function dispatch(gw: Gateway, method: string, params: Json | undefined, ctx: ServerContext): Promise<Json> {
  const handler = HANDLERS[method];
  if (!handler) throw new ProtocolError(-32601, `Method not found: ${method}`);
  try {
    return await handler(gw, params ?? {}, ctx);
  } catch (err) {
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

/** Progress is re-tagged with the downstream token; the upstream sees the SDK's own token instead. */
function relayOptions(params: Json, ctx: ServerContext) {
  const meta = params._meta as Json | undefined;
  const token = meta?.progressToken as string | number | undefined;
  const forwarded: Json = { ...params };
  if (meta && 'progressToken' in meta) {
    const { progressToken: _dropped, ...rest } = meta;
    if (Object.keys(rest).length > 0) forwarded._meta = rest;
    else delete forwarded._meta;
  }
  const onprogress =
    token === undefined
      ? undefined
      : (progress: Json) => void ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } }).catch(() => undefined);
  return { forwarded, options: { signal: ctx.mcpReq.signal, onprogress } };
}

/** A blocked tool call becomes a tool error the model can read, with the finding id. */
function blockedResult(verdict: Extract<Verdict, { kind: 'block' }>): Json {
  const text = `blocked by mcp-watchdog: ${verdict.reason}, finding ${verdict.finding.id}`;
  return { content: [{ type: 'text', text }], isError: true };
}

async function callTool(gw: Gateway, params: Json, ctx: ServerContext): Promise<Json> {
  const name = requireString(params, 'name');
  const route = gw.routeTool(name);
  const upstream = gw.upstream(route.upstream);
  const { forwarded, options } = relayOptions({ ...params, name: route.name }, ctx);
  const envelope = { method: 'tools/call', upstream: route.upstream, session: ctx.sessionId, tool: name };
  const outbound = await gw.inspector.inspect({ ...envelope, direction: 'to_upstream', payload: forwarded });
  if (outbound.kind === 'block') return blockedResult(outbound);
  const payload = outbound.kind === 'redact' ? (outbound.payload as Json) : forwarded;
  const result = await gw.track(ctx, route.upstream, () => upstream.request('tools/call', payload, options));
  return applyVerdict(await gw.inspector.inspect({ ...envelope, direction: 'to_client', payload: result }), result, true);
}

function applyVerdict(verdict: Verdict, original: Json, asToolError: boolean): Json {
  if (verdict.kind === 'pass') return original;
  if (verdict.kind === 'redact') return verdict.payload as Json;
  if (asToolError) return blockedResult(verdict);
  throw new WatchdogError('WDG_BLOCKED', { reason: verdict.reason, finding: verdict.finding.id }, { finding: verdict.finding.id });
}

async function getPrompt(gw: Gateway, params: Json, ctx: ServerContext): Promise<Json> {
  const name = requireString(params, 'name');
  const route = gw.routePrompt(name);
  const { forwarded, options } = relayOptions({ ...params, name: route.name }, ctx);
  const result = await gw.track(ctx, route.upstream, () => gw.upstream(route.upstream).request('prompts/get', forwarded, options));
  const verdict = await gw.inspector.inspect({ method: 'prompts/get', direction: 'to_client', upstream: route.upstream, session: ctx.sessionId, payload: result });
  return applyVerdict(verdict, result, false);
}

async function relayByUri(gw: Gateway, method: string, params: Json, ctx: ServerContext): Promise<Json> {
  const uri = requireString(params, 'uri');
  const route = routeUri(gw.catalog, uri) ?? gw.knownResource(uri);
  if (!route) throw new WatchdogError('WDG_UNKNOWN_RESOURCE', { uri });
  const { forwarded, options } = relayOptions({ ...params, uri: route.name }, ctx);
  const result = await gw.track(ctx, route.upstream, () => gw.upstream(route.upstream).request(method, forwarded, options));
  if (method !== 'resources/read') return result;
  const verdict = await gw.inspector.inspect({ method, direction: 'to_client', upstream: route.upstream, session: ctx.sessionId, payload: result });
  return applyVerdict(verdict, withPublicUris(result, route.name, uri), false);
}

/** A read of a rewritten URI answers with the URI the client asked for. */
function withPublicUris(result: Json, upstreamUri: string, publicUri: string): Json {
  if (upstreamUri === publicUri || !Array.isArray(result.contents)) return result;
  return { ...result, contents: (result.contents as Json[]).map((c) => (c.uri === upstreamUri ? { ...c, uri: publicUri } : c)) };
}

async function subscribe(gw: Gateway, params: Json, ctx: ServerContext): Promise<Json> {
  const uri = requireString(params, 'uri');
  const result = await relayByUri(gw, 'resources/subscribe', params, ctx);
  gw.session(ctx.sessionId)?.subscriptions.add(uri);
  return result;
}

async function unsubscribe(gw: Gateway, params: Json, ctx: ServerContext): Promise<Json> {
  const uri = requireString(params, 'uri');
  gw.session(ctx.sessionId)?.subscriptions.delete(uri);
  return relayByUri(gw, 'resources/unsubscribe', params, ctx);
}

async function complete(gw: Gateway, params: Json, ctx: ServerContext): Promise<Json> {
  const ref = params.ref as Json | undefined;
  if (!ref || typeof ref.type !== 'string') throw new ProtocolError(-32602, 'Invalid params: "ref" is required');
  if (ref.type === 'ref/prompt') {
    const route = gw.routePrompt(requireString(ref, 'name'));
    const forwarded = { ...params, ref: { ...ref, name: route.name } };
    return gw.upstream(route.upstream).request('completion/complete', forwarded, { signal: ctx.mcpReq.signal });
  }
  const uri = requireString(ref, 'uri');
  const route = routeUri(gw.catalog, uri);
  if (!route) throw new WatchdogError('WDG_UNKNOWN_RESOURCE', { uri });
  const forwarded = { ...params, ref: { ...ref, uri: route.name } };
  return gw.upstream(route.upstream).request('completion/complete', forwarded, { signal: ctx.mcpReq.signal });
}
