/**
 * isModernPost (issue 14) must agree with the SDK's classifyInboundRequest on every body, including the
 * ones its shortcut for the usual 2025-11-25 POST takes.
 */
import type { IncomingMessage } from 'node:http';
import { classifyInboundRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { describe, expect, test } from 'vitest';
import { isModernPost } from '../../../src/downstream/era-of-request.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const sdkSaysModern = (body: unknown, headers: Record<string, string>) =>
  classifyInboundRequest({ httpMethod: 'POST', body, ...(headers['mcp-protocol-version'] !== undefined && { protocolVersionHeader: headers['mcp-protocol-version'] }) }).kind !== 'legacy';

const claim = { [PROTOCOL_VERSION_META_KEY]: '2026-07-28' };
const bodies: unknown[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } },
  { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: claim } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 3 } } },
  { jsonrpc: '2.0', method: 'notifications/cancelled', params: { _meta: claim } },
  { jsonrpc: '2.0', id: 1, result: {} },
  { jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } },
  { jsonrpc: '2.0', id: 1, method: 'tools/call', result: {} },
  { jsonrpc: '1.0', id: 1, method: 'tools/call' },
  { id: 1, method: 'tools/call' },
  { jsonrpc: '2.0', id: null, method: 'tools/call' },
  { jsonrpc: '2.0', id: 1, method: 7 },
  [{ jsonrpc: '2.0', id: 1, method: 'ping' }],
  'text',
  null,
];
const headerSets: Array<Record<string, string>> = [{}, { 'mcp-protocol-version': '2025-11-25' }, { 'mcp-protocol-version': ' 2025-06-18 ' }, { 'mcp-protocol-version': '2026-07-28' }, { 'mcp-protocol-version': '2031-01-01' }, { 'mcp-protocol-version': 'garbage' }];

describe('isModernPost agrees with the SDK', () => {
  test.each(bodies.flatMap((body) => headerSets.map((headers) => [JSON.stringify(body), JSON.stringify(headers), body, headers] as const)))('%s with %s', (_b, _h, body, headers) => {
    expect(isModernPost(req(headers), body)).toBe(sdkSaysModern(body, headers));
  });
});
