/**
 * Issue 7, items 7 and 11, with the built CLI: an upstream that ignores SIGTERM, SIGINT, SIGHUP and stdin
 * EOF, with a grandchild that ignores them too, never outlives the gateway —
 * - on SIGTERM (the clean path ends it with SIGKILL after the grace steps; exit code 0);
 * - on a forced exit (shutdown slower than `gateway.shutdownTimeout`: every group is SIGKILLed first);
 * - on `kill -9` of the gateway (the reaper SIGKILLs the group when its pipe closes), within 5 s.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, runCli, type CliRun } from '../helpers/cli.js';
import { NODE, ROOT, tempDir, waitFor } from '../helpers/gateway.js';

const HOSTILE = join(ROOT, 'test/fixtures/hostile-server.mjs');

function start(gatewayYaml = ''): CliRun {
  const dir = tempDir();
  const path = join(dir, 'watchdog.yaml');
  writeFileSync(path, `${gatewayYaml}
upstreams:
  - { name: stubborn, command: ${NODE}, args: [${HOSTILE}, --stubborn, --grandchild] }
`);
  return runCli(['stdio', '--config', path], {}, dir);
}

/** Initializes over raw JSON-RPC lines and asks the upstream for its pid and its grandchild's. */
async function upstreamPids(run: CliRun): Promise<{ pid: number; grandchild: number }> {
  const send = (message: object) => run.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  await waitFor(() => (run.stdout().includes('"id":1') ? true : undefined), 15_000, 'initialize answer');
  send({ method: 'notifications/initialized' });
  send({ id: 2, method: 'tools/call', params: { name: 'stubborn__pids', arguments: {} } });
  const line = await waitFor(() => run.stdout().split('\n').find((l) => l.includes('"id":2')), 10_000, 'pids answer');
  const answer = JSON.parse(line) as { result: { content: Array<{ text: string }> } };
  return JSON.parse(answer.result.content[0]?.text ?? '{}') as { pid: number; grandchild: number };
}

/** Live children of a process (Linux /proc), as [pid, command name]. */
function childrenOf(parent: number): Array<[number, string]> {
  const found: Array<[number, string]> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const [state, ppid] = stat.slice(close + 2).split(' ');
      if (Number(ppid) === parent && state !== 'Z') found.push([Number(entry), stat.slice(stat.indexOf('(') + 1, close)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const survivors = (pids: { pid: number; grandchild: number }) => [pids.pid, pids.grandchild].filter(isAlive);

describe.runIf(process.platform === 'linux')('upstream teardown (built CLI, Linux)', () => {
  it('ends a stubborn upstream and its grandchild on SIGTERM (clean path)', async () => {
    const run = start();
    const pids = await upstreamPids(run);
    expect(survivors(pids)).toHaveLength(2);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    await waitFor(() => (survivors(pids).length === 0 ? true : undefined), 2000, 'no survivors');
  });

  it('SIGKILLs every upstream group when shutdown is slower than gateway.shutdownTimeout', async () => {
    // The clean path needs about 2 s for this upstream (stdin EOF, then SIGTERM, are ignored); 0.3 s forces the exit.
    const run = start('gateway: { shutdownTimeout: 0.3 }');
    const pids = await upstreamPids(run);
    const started = Date.now();
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(1);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(run.stderr()).toContain('killing upstream process groups');
    await waitFor(() => (survivors(pids).length === 0 ? true : undefined), 2000, 'no survivors');
  });

  it('leaves no survivor within 5 s of kill -9, and the reaper exits too', async () => {
    const run = start();
    const pids = await upstreamPids(run);
    const gatewayPid = run.child.pid as number;
    const reaper = childrenOf(gatewayPid).find(([, name]) => name === 'sh');
    expect(reaper).toBeDefined();
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    await waitFor(() => (survivors(pids).length === 0 ? true : undefined), 5000, 'no survivors after kill -9');
    await waitFor(() => (isAlive(reaper?.[0] as number) ? undefined : true), 5000, 'the reaper to exit');
  });
});
