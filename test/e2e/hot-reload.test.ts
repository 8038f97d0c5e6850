/**
 * Issue 13, acceptance 3, through the built CLI: `watchdog run` watches its watchdog.yaml. While a
 * client session stays open, an edit (saved the way editors save: a new file renamed over the old)
 * adds, removes and changes upstreams: the session survives, the client receives
 * notifications/tools/list_changed, unchanged upstream processes keep their pids and the changed one
 * gets a new process. A policy change re-screens the catalog with the new policy (cached listing
 * verdicts are dropped) without restarting the upstream. An invalid edit is rejected and logged, and
 * everything keeps running on the old config. With watching turned off, SIGHUP reloads — and no
 * longer ends the daemon. A listener change says a restart is needed.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, runCli, type CliRun } from '../helpers/cli.js';
import { connectHttp, NODE, ROOT, tempDir, textOf, TOY, waitFor, freePort } from '../helpers/gateway.js';

const POISONED = join(ROOT, 'test/fixtures/poisoned-server.mjs');


describe('hot reload of watchdog.yaml with a session open', () => {
  const dir = tempDir();
  const config = join(dir, 'watchdog.yaml');
  let port: number;
  let daemon: CliRun;
  let client: Client;
  let listChanged = 0;
  const gatewayPart = (extra = '') => `gateway:\n  http: { port: ${port} }\n${extra}`;
  const toy = (name: string, args = '') => `  - { name: ${name}, command: ${NODE}, args: [${TOY}, --name, ${name}${args}] }\n`;
  const evil = `  - { name: evil, command: ${NODE}, args: [${POISONED}] }\n`;

  /** Saves like an editor: writes a new file and renames it over the old one. */
  const save = (text: string) => {
    const tmp = join(dir, `.watchdog.yaml.${Date.now()}.swp`);
    writeFileSync(tmp, text);
    renameSync(tmp, config);
  };
  const tools = async () => (await client.listTools()).tools.map((t) => t.name).sort();
  const pid = async (upstream: string) => Number(textOf(await client.callTool({ name: `${upstream}__pid`, arguments: {} })));
  const reloads = () => daemon.stderr().split('\n').filter((l) => l.includes('"msg":"config reloaded"')).length;

  beforeAll(async () => {
    port = await freePort();
    writeFileSync(config, `${gatewayPart()}upstreams:\n${toy('keep')}${toy('gone')}${toy('change')}${evil}`);
    daemon = runCli(['run', '--config', config]);
    await waitFor(() => (daemon.stderr().includes('ready on') ? true : undefined), 30_000, 'the daemon');
    client = await connectHttp(`http://127.0.0.1:${port}/mcp`);
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      listChanged++;
    });
  }, 60_000);
  afterAll(async () => {
    await client?.close().catch(() => undefined);
    if (daemon?.child.exitCode === null) daemon.child.kill('SIGTERM');
    await daemon?.exited;
  });

  it('adds, removes and changes upstreams: the session survives, list_changed arrives, unchanged pids stay', async () => {
    const before = await tools();
    expect(before).toContain('gone__echo');
    expect(before).not.toContain('evil__important_add'); // withheld by policy
    const keepPid = await pid('keep');
    const gonePid = await pid('gone');
    const changePid = await pid('change');
    const untouched = daemonChildren(daemon.child.pid!).filter((p) => p !== gonePid && p !== changePid);
    expect(untouched).toContain(keepPid);
    expect(untouched.length).toBeGreaterThanOrEqual(2); // keep, evil (and the reaper)

    const seen = listChanged;
    save(`${gatewayPart()}upstreams:\n${toy('keep')}${toy('change', ', --tool-count, "1"')}${evil}${toy('added')}`);
    await waitFor(async () => ((await tools()).includes('added__echo') && (await tools()).includes('change__t0') ? true : undefined), 20_000, 'the new catalog');
    expect(await tools()).not.toContain('gone__echo');
    expect(listChanged).toBeGreaterThan(seen);
    expect(await pid('keep')).toBe(keepPid);
    const newChangePid = await pid('change');
    expect(newChangePid).not.toBe(changePid);
    expect(isAlive(changePid)).toBe(false);
    expect(isAlive(gonePid)).toBe(false);
    expect(textOf(await client.callTool({ name: 'added__echo', arguments: { text: 'hi' } }))).toBe('added:hi');
    await expect(client.callTool({ name: 'gone__echo', arguments: { text: 'x' } })).rejects.toThrow(/unknown tool/);
    // Every other process of the daemon (evil's, the reaper) is the same one.
    expect(daemonChildren(daemon.child.pid!)).toEqual(expect.arrayContaining(untouched));
    await waitFor(() => (/"added":\["added"\],"removed":\["gone"\],"changed":\["change"\]/.test(daemon.stderr()) ? true : undefined), 10_000, 'the reload log line');
  });

  it('applies a policy change to the catalog at once, re-screening without restarting the upstream', async () => {
    const keepPid = await pid('keep');
    const seen = listChanged;
    const before = reloads();
    save(`${gatewayPart()}upstreams:\n${toy('keep')}${toy('change', ', --tool-count, "1"')}${evil}${toy('added')}policy: { mode: monitor }\n`);
    await waitFor(async () => ((await tools()).includes('evil__important_add') ? true : undefined), 20_000, 'the re-screened catalog');
    await waitFor(() => (reloads() > before ? true : undefined), 10_000, 'the reload log line');
    expect(listChanged).toBeGreaterThan(seen);
    expect(await pid('keep')).toBe(keepPid);
    expect(textOf(await client.callTool({ name: 'evil__fetch_page', arguments: { url: 'https://x.example' } }))).toContain('Ignore all previous instructions');
  });

  it('rejects an invalid edit with a logged error and keeps running on the old config', async () => {
    const keepPid = await pid('keep');
    const count = reloads();
    save(`${gatewayPart()}upstreams:\n${toy('keep')}  - { name: Bad Name, comand: x }\n`);
    await waitFor(() => (daemon.stderr().includes('config reload rejected') ? true : undefined), 10_000, 'the rejection');
    const line = daemon.stderr().split('\n').find((l) => l.includes('config reload rejected')) as string;
    expect(JSON.parse(line)).toMatchObject({ level: 50, trigger: 'file changed' });
    expect(line).toMatch(/upstreams\[1\]/);
    expect(reloads()).toBe(count);
    expect(await tools()).toContain('added__echo');
    expect(await pid('keep')).toBe(keepPid);
  });

  it('with watchConfig off, SIGHUP reloads (and the daemon lives on); a listener change asks for a restart', async () => {
    const first = reloads();
    save(`${gatewayPart('  watchConfig: false\n')}upstreams:\n${toy('keep')}${evil}${toy('added')}`);
    await waitFor(() => (reloads() > first ? true : undefined), 20_000, 'the reload that turns watching off');
    expect(await tools()).not.toContain('change__echo');
    const count = reloads();

    save(`gateway:\n  http: { port: ${port + 1} }\n  watchConfig: false\nupstreams:\n${toy('keep')}${evil}${toy('added')}${toy('late')}`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tools()).not.toContain('late__echo');
    expect(reloads()).toBe(count);

    daemon.child.kill('SIGHUP');
    await waitFor(async () => ((await tools()).includes('late__echo') ? true : undefined), 20_000, 'the SIGHUP reload');
    expect(daemon.child.exitCode).toBeNull();
    expect(daemon.stderr()).toMatch(/"trigger":"SIGHUP"/);
    expect(daemon.stderr()).toMatch(/config changed gateway\.http\.port: restart the gateway to apply/);
    // Still listening where it was.
    expect(textOf(await client.callTool({ name: 'late__echo', arguments: { text: 'x' } }))).toBe('late:x');
  });
});

/** Direct children of a pid, from /proc (Linux). */
function daemonChildren(pid: number): number[] {
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
