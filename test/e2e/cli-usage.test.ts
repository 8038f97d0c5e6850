/**
 * Issue 13, "CLI and logs", through the built CLI: unknown flags exit 2 with a suggestion; per-command
 * --help and --version print on stdout; a port already in use is reported (host:port, config key) with
 * exit 2 before any upstream process is spawned; the start-up line names the URL and the client config;
 * --pretty logs are human-readable and stay on stderr.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-spec.js';
import { runCli } from '../helpers/cli.js';
import { NODE, ROOT, tempDir, TOY, waitFor } from '../helpers/gateway.js';

const VERSION = (JSON.parse((await import('node:fs')).readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('usage', () => {
  it('exits 2 on an unknown flag, with a suggestion on stderr and nothing on stdout', async () => {
    const run = runCli(['run', '--confg', 'watchdog.yaml']);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toContain('unknown option --confg for watchdog run (did you mean --config?)');
    expect(run.stderr()).toContain('watchdog run --help');
    expect(run.stdout()).toBe('');
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help prints its usage on stdout and exits 0', async (name) => {
    const run = runCli([name, '--help']);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toMatch(new RegExp(`^usage: watchdog ${name}`));
    expect(run.stderr()).toBe('');
  });

  it('prints the version and the command list on stdout', async () => {
    const version = runCli(['--version']);
    expect((await version.exited).code).toBe(0);
    expect(version.stdout()).toBe(`mcp-watchdog ${VERSION}\n`);
    const help = runCli(['--help']);
    expect((await help.exited).code).toBe(0);
    for (const spec of COMMANDS) expect(help.stdout()).toContain(`  ${spec.name} `);
  });

  it('rejects an unknown log level before starting anything', async () => {
    const run = runCli(['run', '--log-level', 'verbose', '--config', '/nonexistent.yaml']);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toContain('log level "verbose" is not one of fatal, error, warn, info, debug, trace, silent');
  });
});

describe('watchdog run start-up', () => {
  let blocker: Server | undefined;
  afterEach(() => blocker?.close());

  it('reports a port in use with host:port and the config key, exits 2, and spawns no upstream', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = tempDir();
    const marker = join(dir, 'upstream-started');
    const config = join(dir, 'watchdog.yaml');
    writeFileSync(config, `gateway: { http: { port: ${port} } }\nupstreams:\n  - { name: toy, command: sh, args: [-c, 'touch ${marker}; exec ${NODE} ${TOY}'] }\n`);
    const run = runCli(['run', '--config', config]);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toContain(`cannot listen on 127.0.0.1:${port} (gateway.http.host/port in ${config}): the port is already in use`);
    expect(run.stdout()).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
  });

  it('says where it listens and prints the client config on its start-up line', async () => {
    const dir = tempDir();
    const config = join(dir, 'watchdog.yaml');
    writeFileSync(config, `gateway: { http: { port: 0 } }\nupstreams:\n  - { name: toy, command: ${NODE}, args: [${TOY}] }\n`);
    const run = runCli(['run', '--config', config]);
    try {
      const line = await waitFor(() => run.stderr().split('\n').find((l) => l.includes('ready on')), 15_000, 'the ready line');
      const msg = (JSON.parse(line) as { msg: string }).msg;
      const [, url, snippet] = /^ready on (\S+); client config: (.*)$/.exec(msg)!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect(JSON.parse(snippet!)).toEqual({ mcpServers: { watchdog: { type: 'http', url } } });
      expect(run.stdout()).toBe('');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('--pretty writes human-readable logs to stderr, never stdout', async () => {
    const dir = tempDir();
    const config = join(dir, 'watchdog.yaml');
    writeFileSync(config, 'gateway: { http: { port: 0 } }\n');
    const run = runCli(['run', '--config', config, '--pretty']);
    try {
      await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 15_000, 'the ready line');
      expect(run.stderr()).toMatch(/INFO.*ready on http:\/\/127\.0\.0\.1:\d+\/mcp/);
      expect(run.stderr()).not.toContain('{"level"');
      expect(run.stdout()).toBe('');
    } finally {
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    }
  });
});
