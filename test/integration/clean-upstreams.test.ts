/**
 * Issue 4, acceptance 2: clean real upstreams (server-filesystem, server-everything) produce zero
 * findings over a full session of listings and calls, and every result reaches the client
 * byte-identical to what the same server answers a direct client.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ResultSchema } from '@modelcontextprotocol/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, npmServer, startGateway, tempDir, type RunningGateway } from '../helpers/gateway.js';

const dir = tempDir();
const EVERYTHING = [npmServer('server-everything'), 'stdio'];
const FS = [npmServer('server-filesystem'), dir];

/** Calls with deterministic results (no timestamps or random ids), per upstream. */
const CALLS: Array<[upstream: 'fs' | 'everything', method: string, params: Record<string, unknown>]> = [
  ['fs', 'tools/call', { name: 'read_text_file', arguments: { path: join(dir, 'notes.md') } }],
  ['fs', 'tools/call', { name: 'list_directory', arguments: { path: dir } }],
  ['fs', 'tools/call', { name: 'get_file_info', arguments: { path: join(dir, 'notes.md') } }],
  ['fs', 'tools/call', { name: 'search_files', arguments: { path: dir, pattern: 'notes' } }],
  ['fs', 'tools/call', { name: 'list_allowed_directories', arguments: {} }],
  ['everything', 'tools/call', { name: 'echo', arguments: { message: 'hello <b>world</b> — ünïcödé' } }],
  ['everything', 'tools/call', { name: 'get-sum', arguments: { a: 2, b: 40 } }],
  ['everything', 'tools/call', { name: 'get-tiny-image', arguments: {} }],
  ['everything', 'tools/call', { name: 'get-structured-content', arguments: { location: 'Chicago' } }],
  ['everything', 'tools/call', { name: 'get-resource-links', arguments: { count: 4 } }],
  ['everything', 'tools/call', { name: 'get-resource-reference', arguments: { resourceType: 'Text', resourceId: 2 } }],
  ['everything', 'tools/call', { name: 'get-annotated-message', arguments: { messageType: 'success', includeImage: true } }],
  ['everything', 'prompts/get', { name: 'simple-prompt' }],
  ['everything', 'prompts/get', { name: 'args-prompt', arguments: { city: 'Paris', state: 'TX' } }],
  ['everything', 'resources/read', { uri: 'demo://resource/static/document/architecture.md' }],
];

async function direct(args: string[]): Promise<Client> {
  const client = new Client({ name: 'direct', version: '1.0.0' });
  client.setVersionNegotiation({ mode: 'legacy' });
  await client.connect(new StdioClientTransport({ command: NODE, args, stderr: 'ignore' }));
  return client;
}

describe('clean upstreams through the gateway', () => {
  let gateway: RunningGateway;
  let client: Client;
  const directs: Record<string, Client> = {};

  beforeAll(async () => {
    writeFileSync(join(dir, 'notes.md'), '# Notes\n\nRun `npm ci && npm test`. See <https://example.com/docs> and ~/.config/app.\n');
    gateway = await startGateway(`
gateway: { http: { port: 0 } }
upstreams:
  - { name: fs, command: ${NODE}, args: ${JSON.stringify(FS)} }
  - { name: everything, command: ${NODE}, args: ${JSON.stringify(EVERYTHING)} }
`);
    client = await connectHttp(gateway.url);
    directs.fs = await direct(FS);
    directs.everything = await direct(EVERYTHING);
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all(Object.values(directs).map((c) => c.close()));
    await gateway?.close();
  });

  it('lists every tool and prompt of both servers (nothing withheld)', async () => {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    // Tools that can only run as tasks are hidden by design (tasks are not forwarded; see README).
    const runnable = (tools: Array<{ name: string; execution?: { taskSupport?: string } }>, prefix: string) =>
      tools.filter((t) => t.execution?.taskSupport !== 'required').map((t) => `${prefix}__${t.name}`);
    const directTools = [...runnable((await directs.fs!.listTools()).tools, 'fs'), ...runnable((await directs.everything!.listTools()).tools, 'everything')];
    // server-everything adds capability-dependent tools (roots, elicitation, sampling) for some clients,
    // so the gateway may show more than a bare direct client; it must never show fewer.
    expect(tools).toEqual(expect.arrayContaining(directTools));
    expect((await client.listPrompts()).prompts).toHaveLength((await directs.everything!.listPrompts()).prompts.length);
    expect(gateway.app.gateway.snapshot().withheld).toEqual([]);
    expect(client.getInstructions()).toContain(directs.everything!.getInstructions());
  });

  it('relays every result byte-identical to a direct connection', async () => {
    for (const [upstream, method, params] of CALLS) {
      const publicParams = 'name' in params ? { ...params, name: `${upstream}__${String(params.name)}` } : params;
      const through = await client.request({ method, params: publicParams }, ResultSchema);
      const straight = await directs[upstream]!.request({ method, params }, ResultSchema);
      expect(JSON.stringify(through), `${method} ${JSON.stringify(params)}`).toBe(JSON.stringify(straight));
    }
  });

  it('records zero findings over the whole session', () => {
    expect(gateway.app.store.findings.counts().total).toBe(0);
  });
});
