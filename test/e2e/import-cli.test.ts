/**
 * `watchdog import` through the built CLI (issue 13): the written watchdog.yaml runs — a real SDK
 * client reaches the imported server through `watchdog stdio` — and the one-line client config is the
 * command's output; an existing --out is kept without --force; an unrecognised file exits 2 with
 * nothing written; skipped entries are reported and exit 1; without --out the YAML goes to stdout.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { NODE, tempDir, textOf, TOY } from '../helpers/gateway.js';

function claudeDesktop(dir: string, servers: Record<string, unknown>): string {
  const path = join(dir, 'claude_desktop_config.json');
  writeFileSync(path, JSON.stringify({ mcpServers: servers }, null, 2));
  return path;
}

describe('watchdog import', () => {
  it('writes a watchdog.yaml that serves the imported server, and prints the client config line', async () => {
    const dir = tempDir();
    const source = claudeDesktop(dir, { 'Toy Server': { command: NODE, args: [TOY, '--name', '${env:TOY_NAME}'] } });
    const out = join(dir, 'watchdog.yaml');
    const run = runCli(['import', source, '--out', out]);
    expect((await run.exited).code).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual({ mcpServers: { watchdog: { command: 'mcp-watchdog', args: ['stdio', '--config', out] } } });
    expect(run.stderr()).toContain('imported 1 of 1 server(s)');
    expect(run.stderr()).toContain("set in the gateway's environment: TOY_NAME");

    const client = new Client({ name: 'assistant', version: '1.0.0' });
    client.setVersionNegotiation({ mode: 'legacy' });
    const env = { ...(process.env as Record<string, string>), TOY_NAME: 'imported' };
    await client.connect(new StdioClientTransport({ command: NODE, args: [CLI, 'stdio', '--config', out], env, stderr: 'ignore', cwd: dir }));
    try {
      expect(textOf(await client.callTool({ name: 'toy-server__echo', arguments: { text: 'hi' } }))).toBe('imported:hi');
    } finally {
      await client.close();
    }
  });

  it('keeps an existing --out unless --force is given', async () => {
    const dir = tempDir();
    const source = claudeDesktop(dir, { toy: { command: NODE, args: [TOY] } });
    const out = join(dir, 'watchdog.yaml');
    writeFileSync(out, '# mine\n');
    const kept = runCli(['import', source, '--out', out]);
    expect((await kept.exited).code).toBe(2);
    expect(kept.stderr()).toContain('exists; pass --force to overwrite it');
    expect(readFileSync(out, 'utf8')).toBe('# mine\n');
    const forced = runCli(['import', source, '--out', out, '--force']);
    expect((await forced.exited).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('- name: toy');
  });

  it('exits 2 on an unrecognised file and writes nothing', async () => {
    const dir = tempDir();
    const source = join(dir, 'tsconfig.json');
    writeFileSync(source, '{ "compilerOptions": { "strict": true } }');
    const out = join(dir, 'watchdog.yaml');
    const run = runCli(['import', source, '--out', out]);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toContain('not an MCP client config');
    expect(run.stdout()).toBe('');
    expect(existsSync(out)).toBe(false);
    const missing = runCli(['import', join(dir, 'nope.json')]);
    expect((await missing.exited).code).toBe(2);
    expect(missing.stderr()).toContain('cannot read (ENOENT)');
  });

  it('without --out prints the YAML on stdout, reports skipped entries on stderr and exits 1', async () => {
    const dir = tempDir();
    const source = claudeDesktop(dir, { ok: { command: NODE, args: [TOY] }, broken: { args: ['x'] } });
    const run = runCli(['import', source]);
    expect((await run.exited).code).toBe(1);
    const yaml = parse(run.stdout()) as { upstreams: Array<{ name: string }> };
    expect(yaml.upstreams.map((u) => u.name)).toEqual(['ok']);
    expect(run.stderr()).toContain('skipped broken (mcpServers.broken): neither command nor url');
    expect(run.stderr()).toContain('{"mcpServers":{"watchdog":{"command":"mcp-watchdog","args":["stdio","--config","/path/to/watchdog.yaml"]}}}');
  });
});
