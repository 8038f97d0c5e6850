/**
 * A real Streamable HTTP MCP server on 127.0.0.1 for tests that need a remote upstream. Served by the
 * SDK's createMcpHandler (2026-07-28, with stateless 2025 fallback) on a plain node:http server.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { once } from 'node:events';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

export interface HttpUpstream {
  url: string;
  /** Authorization headers the server has seen (to prove the client's token never reaches it). */
  seenAuthorization: string[];
  close(): Promise<void>;
}

export async function startHttpUpstream(name = 'remote'): Promise<HttpUpstream> {
  const seenAuthorization: string[] = [];
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name, version: '1.0.0' });
    server.registerTool('shout', { description: 'Upper-case the text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text: `${name}:${text.toUpperCase()}` }],
    }));
    // Worded unlike the hostile fixture's `huge`: the same name and text on two servers is a shadowing finding.
    server.registerTool('huge', { description: 'Answers with as many bytes of text as asked for', inputSchema: z.object({ bytes: z.number() }) }, async ({ bytes }) => ({
      content: [{ type: 'text', text: 'x'.repeat(bytes) }],
    }));
    return server;
  });
  const node = toNodeHandler(handler);
  const http: HttpServer = createServer((req, res) => {
    if (req.headers.authorization) seenAuthorization.push(req.headers.authorization);
    void node(req, res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seenAuthorization,
    close: async () => {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
