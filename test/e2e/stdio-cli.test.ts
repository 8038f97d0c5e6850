/**
 * Issue 2, acceptance 2 and 7: the built CLI spawned over stdio as an assistant spawns it — a real
 * SDK client lists and calls tools of several upstreams; and every line the process writes to stdout
 * is JSON-RPC, even with debug logging and garbage input.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { NODE, npmServer, tempDir, textOf, TOY, waitFor } from '../helpers/gateway.js';

function writeConfig(dir: string): string {
  const path = join(dir, 'watchdog.yaml');
  writeFileSync(join(dir, 'note.txt'), 'a note');
  writeFileSync(path, `
upstreams:
  - { name: fs, command: ${NODE}, args: [${npmServer('server-filesystem')}, ${dir}] }
  - { name: everything, command: ${NODE}, args: [${npmServer('server-everything')}, stdio] }
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`);
  return path;
}

describe('stdio front door (built CLI)', () => {
  it('serves the merged catalog to an SDK client that spawns it', async () => {
    const dir = tempDir();
    const client = new Client({ name: 'assistant', version: '1.0.0' });
    client.setVersionNegotiation({ mode: 'legacy' });
    await client.connect(new StdioClientTransport({ command: NODE, args: [CLI, 'stdio', '--config', writeConfig(dir)], env: process.env as Record<string, string>, stderr: 'ignore' }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['fs__read_text_file', 'everything__echo', 'toy__echo']));
      expect(textOf(await client.callTool({ name: 'fs__read_text_file', arguments: { path: join(dir, 'note.txt') } }))).toBe('a note');
      expect(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } }))).toContain('hi');
      expect(textOf(await client.callTool({ name: 'toy__echo', arguments: { text: 'yo' } }))).toBe('toy:yo');
    } finally {
      await client.close();
    }
  });

  it('serves stdio with no subcommand when stdin is not a terminal (the one-line client config)', async () => {
    const dir = tempDir();
    const client = new Client({ name: 'assistant', version: '1.0.0' });
    client.setVersionNegotiation({ mode: 'legacy' });
    const env = { ...(process.env as Record<string, string>), WATCHDOG_CONFIG: writeConfig(dir) };
    await client.connect(new StdioClientTransport({ command: NODE, args: [CLI], env, stderr: 'ignore', cwd: dir }));
    try {
      expect(textOf(await client.callTool({ name: 'toy__echo', arguments: { text: 'bare' } }))).toBe('toy:bare');
    } finally {
      await client.close();
    }
  });

  it('wraps a single server with `stdio -- <command>` and no config file', async () => {
    const client = new Client({ name: 'assistant', version: '1.0.0' });
    client.setVersionNegotiation({ mode: 'legacy' });
    await client.connect(new StdioClientTransport({ command: NODE, args: [CLI, 'stdio', '--', NODE, TOY, '--name', 'solo'], env: process.env as Record<string, string>, stderr: 'ignore', cwd: tempDir() }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo');
      expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toBe('solo:x');
    } finally {
      await client.close();
    }
  });

  it('writes only JSON-RPC to stdout, with debug logging and malformed input', async () => {
    const run = runCli(['stdio', '--config', writeConfig(tempDir())], { WATCHDOG_LOG_LEVEL: 'debug' });
    const send = (line: string) => run.child.stdin.write(`${line}\n`);
    send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }));
    await waitFor(() => (run.stdout().includes('"id":1') ? true : undefined), 15_000, 'initialize answer');
    send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    send('this is not json');
    send(JSON.stringify({ jsonrpc: '2.0', id: 2, params: [] }));
    send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'no/such/method' }));
    send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'toy__echo', arguments: { text: 'still serving' } } }));
    await waitFor(() => (run.stdout().includes('still serving') ? true : undefined), 10_000, 'the call after bad input');
    run.child.stdin.end();
    expect((await run.exited).code).toBe(0);

    const lines = run.stdout().split('\n').filter((l) => l !== '');
    const messages = lines.map((l) => JSON.parse(l) as { jsonrpc: string; id?: unknown; error?: { code: number } });
    for (const m of messages) expect(m.jsonrpc).toBe('2.0');
    expect(messages.find((m) => m.id === null && m.error?.code === -32700)).toBeDefined();
    expect(messages.find((m) => m.id === 2)?.error?.code).toBe(-32600);
    expect(messages.find((m) => m.id === 3)?.error?.code).toBe(-32601);
    expect(run.stderr()).toContain('"level":20'); // debug logs went to stderr
  });
});
