/**
 * Which protocol era a POST to the front door belongs to (issue 14). The same decision as the SDK's
 * `isLegacyRequest` (its `classifyInboundRequest` on the body and the MCP headers; no JSON body means
 * 2025-era), made from the body fastify has already parsed and Node's headers, instead of building a web
 * Request (re-serialising the body) only to classify it, on every POST of both eras.
 */
import type { IncomingMessage } from 'node:http';
import { classifyInboundRequest } from '@modelcontextprotocol/server';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** True when the 2026-07-28 handler serves this POST (or answers its rejection). */
export function isModernPost(req: IncomingMessage, body: unknown): boolean {
  if (body === undefined) return false;
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
