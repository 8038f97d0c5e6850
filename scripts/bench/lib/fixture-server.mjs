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

// Plain tool-output sentences, cycled: a realistic benign result (a word salad of them reads as nothing
// a server writes, and the local scorer of issue 15 rightly finds it odd).
const SENTENCES = [
  'The server returned a list of files in the project folder.',
  'Each entry has a name, a size in bytes and a modification time.',
  'Folders are listed before files, and both are sorted by name.',
  'Hidden files are included only when the request asks for them.',
  'The listing is paginated: pass the cursor from the previous page to continue.',
  'Errors name the path that could not be read and the reason the system gave.',
  'Symbolic links are reported as links and are not followed.',
  'Sizes of folders are not computed, so they are shown as zero.',
  'Times are given in UTC with second precision.',
  'A slow disk can make the first page take longer than the ones after it.',
];

const texts = new Map();
function prose(bytes) {
  let text = texts.get(bytes);
  if (text !== undefined) return text;
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const piece = `${SENTENCES[i % SENTENCES.length]}${i % 4 === 3 ? '\n' : ' '}`;
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
