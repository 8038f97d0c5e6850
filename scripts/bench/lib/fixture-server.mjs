#!/usr/bin/env node
// The benchmark's upstream (issue 14): a zero-latency MCP server whose one tool, `blob {bytes}`, answers
// at once with that many bytes of benign prose (the same text for the same size, built once). It runs on
// stdio by default; with `--http PORT` it serves Streamable HTTP on 127.0.0.1 (both protocol eras, the
// SDK's own handler on node:http, nothing in between) and prints `listening <url>` on stdout, so the
// "direct" figure is the SDK client → this server with no gateway at all.
import { createServer } from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';

const WORDS = ('the server returned a list of files in the project folder and each entry has a name size and ' +
  'modification time see the documentation for details about pagination errors and retries when the upstream is slow').split(' ');

const texts = new Map();
function prose(bytes) {
  let text = texts.get(bytes);
  if (text !== undefined) return text;
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const word = WORDS[(i * 7 + (i >> 3)) % WORDS.length];
    const piece = i % 17 === 16 ? `${word}.\n` : `${word} `;
    parts.push(piece);
    size += piece.length;
  }
  text = parts.join('').slice(0, bytes);
  texts.set(bytes, text);
  return text;
}

function createBenchServer() {
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool('blob', { description: 'Answer with the given number of bytes of text', inputSchema: z.object({ bytes: z.number().int().min(0) }) },
    async ({ bytes }) => ({ content: [{ type: 'text', text: prose(bytes) }] }));
  return server;
}

const portFlag = process.argv.indexOf('--http');
if (portFlag >= 0) {
  const handler = toNodeHandler(createMcpHandler(createBenchServer, { legacy: 'stateless' }));
  const http = createServer((req, res) => void handler(req, res));
  http.keepAliveTimeout = 60_000;
  http.listen(Number(process.argv[portFlag + 1] ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening http://127.0.0.1:${http.address().port}/mcp\n`);
  });
} else {
  await createBenchServer().connect(new StdioServerTransport());
}
