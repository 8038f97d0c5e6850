/**
 * The process-group registry and its sh reaper (issue 7, items 7 and 11), with real processes: on EOF
 * the reaper SIGKILLs every group still registered (not those removed), ignores malformed lines and
 * the signals a terminal sends; `killAll()` is synchronous and needs no reaper.
 */
import { spawn } from 'node:child_process';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ProcessGroups, REAPER_SCRIPT } from '../../../src/upstream/process-groups.js';
import { isAlive } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/gateway.js';

/** A detached group: a sh leader ignoring TERM with a sleeping grandchild. Returns [leader, grandchild]. */
async function stubbornGroup(): Promise<[number, number]> {
  const child = spawn('/bin/sh', ['-c', "trap '' TERM HUP INT; sleep 60 & echo $!; wait"], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  child.unref();
  const grandchild = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return [child.pid as number, grandchild];
}

const gone = (pids: number[]) => (pids.some(isAlive) ? undefined : true);

describe.runIf(process.platform !== 'win32')('process groups', () => {
  it('the reaper kills registered groups on EOF, spares removed ones and ignores malformed lines and signals', async () => {
    const kept = await stubbornGroup();
    const removed = await stubbornGroup();
    const reaper = spawn('/bin/sh', ['-c', REAPER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    reaper.stdin.write(`+${kept[0]}\n+${removed[0]}\n-${removed[0]}\n+1\n+0\n+-${kept[0]}\n+${kept[0]} 1\nrm -rf /\n+\n`);
    await new Promise((r) => setTimeout(r, 200));
    reaper.kill('SIGTERM');
    reaper.kill('SIGINT');
    reaper.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 200));
    expect([...kept, ...removed].every(isAlive)).toBe(true);
    expect(reaper.exitCode).toBeNull();
    const exited = new Promise((resolve) => reaper.once('exit', resolve));
    reaper.stdin.end();
    await waitFor(() => gone(kept), 3000, 'the registered group to die');
    await exited;
    expect(removed.every(isAlive)).toBe(true);
    process.kill(-removed[0], 'SIGKILL');
  });

  it('killAll() SIGKILLs every registered group synchronously, without a reaper', async () => {
    const groups = new ProcessGroups(pino({ level: 'silent' }), { reaper: false });
    const a = await stubbornGroup();
    const b = await stubbornGroup();
    groups.add(a[0]);
    groups.add(b[0]);
    groups.add(1); // never registered: `kill -1` would mean every process
    expect(groups.size).toBe(2);
    groups.killAll();
    expect(groups.size).toBe(0);
    await waitFor(() => gone([...a, ...b]), 2000, 'both groups to die');
  });

  it('starts one reaper on the first group and lets it exit on close()', async () => {
    const groups = new ProcessGroups(pino({ level: 'silent' }), { reaper: true });
    expect(groups.reaperPid).toBeUndefined();
    const a = await stubbornGroup();
    groups.add(a[0]);
    const reaperPid = groups.reaperPid as number;
    expect(isAlive(reaperPid)).toBe(true);
    groups.close();
    await waitFor(() => gone([...a, reaperPid]), 3000, 'the group and the reaper to end');
  });
});
