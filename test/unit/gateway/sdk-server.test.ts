/**
 * The gateway's server-side SDK adapter (src/gateway/sdk-server.ts). It replaces one SDK internal,
 * `McpServer.toolInputSchemaJson`, so the SDK's HTTP entry validates `Mcp-Param-*` headers (SEP-2243)
 * against the merged catalog's schemas. This pins that contract: through a real socket and the real
 * client, a tools/call whose declared header is missing is refused with -32020 only when the adapter
 * supplied the schema — so an SDK upgrade that stops asking fails here instead of silently skipping the
 * check. Logging helpers: an upstream log message keeps its level and data and gets the upstream as logger.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ResultSchema } from '@modelcontextprotocol/core';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, Server } from '@modelcontextprotocol/server';
import { serveToolSchemas, logToSession } from '../../../src/gateway/sdk-server.js';

const REGION_SCHEMA = { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } };

let http: HttpServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  http = undefined;
});

/** A modern front door whose McpServer answers every tools/call with "ran"; `patch` applies the adapter. */
async function frontDoor(patch: boolean): Promise<string> {
  const handler = createMcpHandler(() => {
    const mcp = new McpServer({ name: 'pin', version: '1.0.0' });
    mcp.server.registerCapabilities({ tools: {} });
    mcp.server.fallbackRequestHandler = async () => ({ content: [{ type: 'text', text: 'ran' }] });
    if (patch) serveToolSchemas(mcp, (name) => (name === 'echo_region' ? REGION_SCHEMA : undefined));
    return mcp;
  }, { legacy: 'reject' });
  const node = toNodeHandler(handler);
  http = createServer((req, res) => void node(req, res));
  await new Promise<void>((resolve) => http?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
}

/** A tools/call with `region` in the body and, whatever the client would add, no Mcp-Param-Region header. */
async function callWithoutHeader(url: string): Promise<unknown> {
  const strip: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.delete('mcp-param-region');
    return fetch(input, { ...init, headers });
  };
  const client = new Client({ name: 'pin-client', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: strip }));
  try {
    return await client.request({ method: 'tools/call', params: { name: 'echo_region', arguments: { region: 'eu' } } }, ResultSchema);
  } finally {
    await client.close();
  }
}

describe('server SDK adapter', () => {
  it('the SDK validates Mcp-Param headers against the schema serveToolSchemas supplies', async () => {
    await expect(callWithoutHeader(await frontDoor(true))).rejects.toMatchObject({ code: -32020 });
  });

  it('without the adapter the same call runs (the refusal above comes from the supplied schema)', async () => {
    await expect(callWithoutHeader(await frontDoor(false))).resolves.toMatchObject({ content: [{ type: 'text', text: 'ran' }] });
  });

  it('a schema that is not an object declares no headers', () => {
    const mcp = new McpServer({ name: 'pin', version: '1.0.0' });
    serveToolSchemas(mcp, (name) => (name === 'list' ? ['not', 'an', 'object'] : name === 'ok' ? REGION_SCHEMA : null));
    expect(mcp.toolInputSchemaJson('list')).toBeUndefined();
    expect(mcp.toolInputSchemaJson('none')).toBeUndefined();
    expect(mcp.toolInputSchemaJson('ok')).toBe(REGION_SCHEMA);
  });

  it('an upstream log message keeps its level and data, with the upstream as logger unless it named one', async () => {
    const sent: unknown[] = [];
    const server = new Server({ name: 'pin', version: '1.0.0' }, { capabilities: { logging: {} } });
    server.sendLoggingMessage = async (params) => void sent.push(params);
    await logToSession(server, { level: 'warning', data: 'disk low' }, 'files', undefined);
    await logToSession(server, { level: 'error', data: { n: 1 }, logger: 'inner' }, 'files', 's1');
    expect(sent).toEqual([{ level: 'warning', data: 'disk low', logger: 'files' }, { level: 'error', data: { n: 1 }, logger: 'inner' }]);
  });
});
