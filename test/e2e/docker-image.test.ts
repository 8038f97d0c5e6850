/**
 * The Docker deployment, tested without a Docker engine (none runs here): the image's config is valid,
 * needs its token, and — run by the real CLI the way the image runs it — binds a non-loopback address,
 * demands the bearer token and keeps serving while its upstreams (absent outside the image) are down.
 * The Dockerfile is checked for what a build would trip on: COPY sources exist, the runtime user is
 * not root, the exposed port is the configured one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ROOT, tempDir, waitFor } from '../helpers/gateway.js';

const DOCKERFILE = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
const CONFIG = join(ROOT, 'docker/watchdog.yaml');

describe('docker deployment', () => {
  it('has a Dockerfile whose COPY sources exist, which runs as a non-root user and exposes the configured port', () => {
    const copies = [...DOCKERFILE.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    expect(copies.length).toBeGreaterThan(3);
    for (const source of copies) expect(existsSync(join(ROOT, source)), source).toBe(true);
    const users = [...DOCKERFILE.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(DOCKERFILE).toMatch(/^EXPOSE 8765$/m);
    expect(readFileSync(CONFIG, 'utf8')).toMatch(/port: \$\{WATCHDOG_PORT:-8765\}/);
  });

  it('refuses to start without WATCHDOG_TOKEN, naming the variable', async () => {
    const run = runCli(['run', '--config', CONFIG], { WATCHDOG_TOKEN: '', WATCHDOG_DATA: tempDir() });
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toMatch(/gateway\.auth\.tokens\[0\]/);
  });

  it('binds 0.0.0.0 with the token required, and serves with its upstreams down', async () => {
    const token = 'docker-test-token-0123456789';
    const run = runCli(['run', '--config', CONFIG], { WATCHDOG_TOKEN: token, WATCHDOG_PORT: '0', WATCHDOG_DATA: tempDir() });
    try {
      const url = await waitFor(() => /"url":"([^"]+)"/.exec(run.stderr())?.[1], 15_000, 'listening line');
      expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/mcp$/);
      const local = url.replace('0.0.0.0', '127.0.0.1');
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      expect((await fetch(local, { method: 'POST', headers, body })).status).toBe(401);
      expect((await fetch(local, { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body })).status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    }
  });
});
