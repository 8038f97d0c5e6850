/**
 * Issue 2, acceptance 1: two real stdio upstreams from npm plus one Streamable HTTP upstream behind
 * the gateway; a real SDK client over Streamable HTTP sees all three under their prefixes and calls
 * a tool on each.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, npmServer, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';
import { startHttpUpstream, type HttpUpstream } from '../helpers/http-upstream.js';

describe('merged endpoint over Streamable HTTP', () => {
  let remote: HttpUpstream;
  let gateway: RunningGateway;
  let client: Client;
  const dir = tempDir();

  beforeAll(async () => {
    writeFileSync(join(dir, 'hello.txt'), 'hello from the filesystem server');
    remote = await startHttpUpstream('remote');
    gateway = await startGateway(`
gateway: { http: { port: 0 } }
upstreams:
  - name: fs
    command: ${NODE}
    args: [${npmServer('server-filesystem')}, ${dir}]
  - name: memory
    command: ${NODE}
    args: [${npmServer('server-memory')}]
    env: { MEMORY_FILE_PATH: ${join(dir, 'memory.jsonl')} }
  - name: web
    url: ${remote.url}
`);
    client = await connectHttp(gateway.url);
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await remote?.close();
  });

  it('lists the tools of all three upstreams under their prefixes', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('fs__read_text_file');
    expect(names).toContain('memory__create_entities');
    expect(names).toContain('web__shout');
    expect(names.every((n) => /^(fs|memory|web)__/.test(n))).toBe(true);
  });

  it('routes a call to each upstream and returns its real result', async () => {
    const file = await client.callTool({ name: 'fs__read_text_file', arguments: { path: join(dir, 'hello.txt') } });
    expect(textOf(file)).toBe('hello from the filesystem server');

    await client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: 'gateway', entityType: 'software', observations: ['routes calls'] }] } });
    const graph = await client.callTool({ name: 'memory__read_graph', arguments: {} });
    expect(textOf(graph)).toContain('routes calls');

    const shout = await client.callTool({ name: 'web__shout', arguments: { text: 'hi' } });
    expect(textOf(shout)).toBe('remote:HI');
  });

  it('answers an unknown tool with a JSON-RPC error naming it', async () => {
    await expect(client.callTool({ name: 'nope__missing', arguments: {} })).rejects.toThrow(/unknown tool: nope__missing/);
  });
});
