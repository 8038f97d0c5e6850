/**
 * Which protocol era a POST to the front door belongs to (issue 14). The same decision as the SDK's
 * `isLegacyRequest` (its `classifyInboundRequest` on the body and the MCP headers; no JSON body means
 * 2025-era), made from the body fastify has already parsed and Node's headers, instead of building a web
 * Request (re-serialising the body) only to classify it, on every POST of both eras.
 */
import type { IncomingMessage } from 'node:http';
import { classifyInboundRequest, isJSONRPCNotification, isJSONRPCRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** True when the 2026-07-28 handler serves this POST (or answers its rejection). */
export function isModernPost(req: IncomingMessage, body: unknown): boolean {
  if (body === undefined) return false;
  if (plainLegacyMessage(body, header(req, 'mcp-protocol-version'))) return false;
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    body,
    ...optional('protocolVersionHeader', header(req, 'mcp-protocol-version')),
    ...optional('mcpMethodHeader', header(req, 'mcp-method')),
    ...optional('mcpNameHeader', header(req, 'mcp-name')),
  });
  return outcome.kind !== 'legacy';
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The usual 2025-11-25 POST, told without the SDK's full ladder (issue 14: it first tries the body as a
 * result and as an error response, two failing zod parses, ~0.07 ms a call): one request or notification
 * (the SDK's own schema checks) with no result or error member, no envelope claim in `params._meta`, and
 * no protocol-version header or a 2024/2025 one (below the first modern revision, 2026-07-28). For such a
 * body the SDK's `classifyInboundRequest` answers legacy on every path; anything else goes to it.
 */
function plainLegacyMessage(body: unknown, versionHeader: string | undefined): boolean {
  if (!isObject(body) || typeof body.method !== 'string' || 'result' in body || 'error' in body) return false;
  const version = versionHeader?.trim();
  if (version !== undefined && !version.startsWith('2024-') && !version.startsWith('2025-')) return false;
  const params = body.params;
  if (isObject(params) && isObject(params._meta) && PROTOCOL_VERSION_META_KEY in params._meta) return false;
  return isJSONRPCRequest(body) || isJSONRPCNotification(body);
}
