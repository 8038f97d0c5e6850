/**
 * JSON-RPC error bodies for HTTP-level rejections (before a message reaches an MCP transport), so a
 * client always gets a JSON-RPC error object it can parse, with the HTTP status the spec expects.
 */
import type { ServerResponse } from 'node:http';
import { ownValue, toJsonRpcError, type WatchdogError } from '../core/index.js';

export function sendRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}, id: string | number | null = null): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
}

/** A gateway error (from the one table) as an HTTP rejection with its JSON-RPC error object. */
export function sendWatchdogError(res: ServerResponse, status: number, err: WatchdogError, headers: Record<string, string> = {}, id: string | number | null = null): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', id, error: toJsonRpcError(err) }));
}

/**
 * Maps fastify's body errors to the JSON-RPC errors a client expects. Fastify types what reaches its
 * error handler as `unknown` (a hook may throw anything), so the code and status are read, not assumed.
 */
export function bodyErrorFor(err: unknown): { status: number; code: number; message: string } {
  const statusCode = ownValue(err, 'statusCode');
  switch (ownValue(err, 'code')) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: -32600, message: 'Request body too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: -32600, message: 'Unsupported Media Type: Content-Type must be application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: -32700, message: 'Parse error: body is not valid JSON' };
    default:
      if (err instanceof SyntaxError) return { status: 400, code: -32700, message: 'Parse error: body is not valid JSON' };
      return { status: typeof statusCode === 'number' && statusCode > 0 && statusCode < 500 ? statusCode : 500, code: -32603, message: 'Internal error' };
  }
}
