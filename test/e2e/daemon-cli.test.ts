/**
 * Issue 2, acceptance 5 and 8 through the built CLI: every invalid config in test/golden/config stops
 * start-up with exit 2 and its golden message (file, line, YAML path); SIGTERM closes sessions, ends
 * every upstream process group (grandchildren included) and exits 0 within 5 s.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, runCli } from '../helpers/cli.js';
import { connectHttp, NODE, npmServer, ROOT, tempDir, textOf, TOY, waitFor } from '../helpers/gateway.js';

const GOLDEN = join(ROOT, 'test/golden/config');
const cases = readdirSync(GOLDEN).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));

describe('watchdog run with an invalid config', () => {
  it.each(cases)('%s: exits 2 with the golden message and starts nothing', async (name) => {
    const dir = tempDir();
    copyFileSync(join(GOLDEN, `${name}.yaml`), join(dir, 'watchdog.yaml'));
    const run = runCli(['run'], { WATCHDOG_CONFIG: '', HOME: dir }, dir);
    const { code } = await run.exited;
    expect(code).toBe(2);
    const expected = readFileSync(join(GOLDEN, `${name}.expected`), 'utf8').trim();
    // The CLI names the file by the path it found (absolute); the goldens use the bare name.
    expect(run.stderr().trim().replaceAll(`${dir}/`, '')).toBe(expected);
    expect(run.stdout()).toBe('');
  });
});

describe('watchdog run and SIGTERM', () => {
  it('ends every upstream process group and exits 0 within 5 s', async () => {
    const dir = tempDir();
    const config = join(dir, 'watchdog.yaml');
    writeFileSync(config, `
gateway: { http: { port: 0 } }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}, --child] }
  - { name: memory, command: ${NODE}, args: [${npmServer('server-memory')}], env: { MEMORY_FILE_PATH: ${join(dir, 'm.jsonl')} } }
`);
    const run = runCli(['run', '--config', config]);
    const url = await waitFor(() => /"url":"([^"]+)"/.exec(run.stderr())?.[1], 15_000, 'listening line');
    const client = await connectHttp(url);
    const toyPid = Number(textOf(await client.callTool({ name: 'toy__pid', arguments: {} })));
    const grandchild = Number(textOf(await client.callTool({ name: 'toy__child_pid', arguments: {} })));
    const memoryPid = gatewayChildren(run.child.pid!).find((pid) => pid !== toyPid)!;
    expect([toyPid, grandchild, memoryPid].every(isAlive)).toBe(true);

    // `watchdog status` sees the running daemon and its upstreams (port 0: found through its snapshot file).
    const status = runCli(['status', '--config', config, '--json']);
    expect((await status.exited).code).toBe(0);
    const report = JSON.parse(status.stdout()) as { state: string; gateways: Array<{ pid: number; source: string; upstreams: Array<{ name: string; state: string; pid: number }> }> };
    expect(report.state).toBe('ready');
    expect(report.gateways).toHaveLength(1);
    expect(report.gateways[0]!.pid).toBe(run.child.pid);
    expect(report.gateways[0]!.source).toBe('http');
    expect(report.gateways[0]!.upstreams.map((u) => [u.name, u.state])).toEqual([['toy', 'ready'], ['memory', 'ready']]);
    expect(report.gateways[0]!.upstreams[0]!.pid).toBe(toyPid);

    const started = Date.now();
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(() => ([toyPid, grandchild, memoryPid].some(isAlive) ? undefined : true), 2000, 'upstream processes to be gone');
    const after = runCli(['status', '--config', config]);
    await after.exited;
    expect(after.stdout()).toContain('no gateway is running on this config');
    await client.close().catch(() => undefined);
  });
});

/** Direct children of a pid, from /proc (Linux). */
function gatewayChildren(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}
