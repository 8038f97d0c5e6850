/**
 * Issue 7, items 2, 10 and 15, with real upstream processes:
 * - an upstream answer over `upstreams[].maxMessageBytes` fails that one call with a clear error, the
 *   gateway keeps serving, the next call to the same upstream works, and a raised limit lets it through
 *   (a fixture server and the real server-filesystem reading a 12 MiB file);
 * - a burst of 5,000 tools/list_changed costs the upstream a handful of tools/list requests, the gateway
 *   stays responsive and the catalog ends up current;
 * - upstream stderr never reaches the log or the snapshot's tail with a secret or a configured value in it;
 * - `killAllGroups()` ends an upstream that ignores SIGTERM and stdin EOF, with its grandchild, at once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { isAlive } from '../helpers/cli.js';
import { connectHttp, NODE, npmServer, ROOT, startGateway, tempDir, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';
import { startHttpUpstream, type HttpUpstream } from '../helpers/http-upstream.js';

const HOSTILE = join(ROOT, 'test/fixtures/hostile-server.mjs');
const MiB = 1024 * 1024;
const TOO_LARGE = /upstream "(big|fs|web)" sent a \d+-byte message, over its limit of 10485760 bytes \(upstreams\[\]\.maxMessageBytes\)/;
/** Built here and in no config: only the fixture's own stderr can carry it (see the stderr test). */
const TOKEN = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
const CONFIGURED = 'config-value-9d1f2c7e';

describe('upstream limits (real processes)', () => {
  const dir = tempDir();
  const logLines: string[] = [];
  let gateway: RunningGateway;
  let client: Client;
  let remote: HttpUpstream;

  beforeAll(async () => {
    remote = await startHttpUpstream();
    writeFileSync(join(dir, 'big.txt'), 'the quick brown fox jumps over the lazy dog\n'.repeat(Math.ceil((12 * MiB) / 44)));
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean)), done()) });
    gateway = await startGateway(
      `
gateway: { http: { port: 0 } }
upstreams:
  - { name: big, command: ${NODE}, args: [${HOSTILE}] }
  - { name: roomy, command: ${NODE}, args: [${HOSTILE}], maxMessageBytes: ${32 * MiB} }
  - { name: fs, command: ${NODE}, args: [${npmServer('server-filesystem')}, ${dir}] }
  - { name: fs-roomy, command: ${NODE}, args: [${npmServer('server-filesystem')}, ${dir}], maxMessageBytes: ${32 * MiB} }
  - { name: flood, command: ${NODE}, args: [${HOSTILE}] }
  - name: noisy
    command: ${NODE}
    args: [${HOSTILE}, --stderr, "starting with key ${CONFIGURED} and ${TOKEN}"]
    env: { NOISY_KEY: ${CONFIGURED} }
  - { name: stubborn, command: ${NODE}, args: [${HOSTILE}, --stubborn, --grandchild] }
  - { name: web, url: "${remote.url}" }
  - { name: web-roomy, url: "${remote.url}", maxMessageBytes: ${32 * MiB} }
`,
      { log: createLogger('debug', sink) },
    );
    client = await connectHttp(gateway.url);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await remote?.close();
  });

  it('fails only the call whose answer is over maxMessageBytes, then keeps serving that upstream', async () => {
    const started = Date.now();
    await expect(client.callTool({ name: 'big__huge', arguments: { bytes: 13 * MiB } })).rejects.toThrow(TOO_LARGE);
    expect(Date.now() - started).toBeLessThan(20_000); // failed at once, not after the 60 s timeout
    expect(textOf(await client.callTool({ name: 'big__small', arguments: {} }))).toBe('ok');
    expect(gateway.app.gateway.snapshot().upstreams.find((u) => u.name === 'big')?.state).toBe('ready');
    expect(textOf(await client.callTool({ name: 'big__huge', arguments: { bytes: 1000 } }))).toHaveLength(1000);
  });

  it('lets the same answer through when maxMessageBytes is raised above it', async () => {
    const text = textOf(await client.callTool({ name: 'roomy__huge', arguments: { bytes: 13 * MiB } }));
    expect(text.length).toBe(13 * MiB);
  });

  it('does the same for the real server-filesystem reading a 12 MiB file', async () => {
    const path = join(dir, 'big.txt');
    await expect(client.callTool({ name: 'fs__read_text_file', arguments: { path } })).rejects.toThrow(TOO_LARGE);
    expect(textOf(await client.callTool({ name: 'fs__list_allowed_directories', arguments: {} }))).toContain(dir);
    const text = textOf(await client.callTool({ name: 'fs-roomy__read_text_file', arguments: { path } }));
    expect(text.length).toBeGreaterThanOrEqual(12 * MiB);
  });

  it('applies the same limit to a remote (Streamable HTTP) upstream', async () => {
    await expect(client.callTool({ name: 'web__huge', arguments: { bytes: 13 * MiB } })).rejects.toThrow(TOO_LARGE);
    expect(textOf(await client.callTool({ name: 'web__shout', arguments: { text: 'still' } }))).toBe('remote:STILL');
    expect(textOf(await client.callTool({ name: 'web-roomy__huge', arguments: { bytes: 13 * MiB } })).length).toBe(13 * MiB);
  });

  it('coalesces a burst of 5,000 tools/list_changed into a handful of tools/list requests', async () => {
    const before = Number(textOf(await client.callTool({ name: 'flood__list_count', arguments: {} })));
    expect(textOf(await client.callTool({ name: 'flood__flood', arguments: { count: 5000 } }))).toBe('sent 5000');
    // Responsive during the burst, and the catalog catches up with the tool the burst announced.
    const started = Date.now();
    expect(textOf(await client.callTool({ name: 'flood__small', arguments: {} }))).toBe('ok');
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(async () => ((await client.listTools()).tools.some((t) => t.name === 'flood__late_0') ? true : undefined), 10_000, 'late_0 in the catalog');
    const stats = await waitFor(() => {
      const s = gateway.app.gateway.snapshot().upstreams.find((u) => u.name === 'flood')?.listChanged;
      return s && s.received >= 5000 ? s : undefined;
    }, 10_000, 'all notifications received');
    await new Promise((r) => setTimeout(r, 1000)); // let any trailing refresh run
    const after = Number(textOf(await client.callTool({ name: 'flood__list_count', arguments: {} })));
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThanOrEqual(5);
    expect(stats.coalesced).toBeGreaterThanOrEqual(4990);
  });

  it('redacts upstream stderr in the log and in the snapshot tail', async () => {
    await waitFor(() => (logLines.some((l) => l.includes('upstream stderr') && l.includes('starting with key')) ? true : undefined), 5000, 'the stderr line');
    const joined = logLines.join('\n');
    expect(joined).not.toContain(CONFIGURED);
    expect(joined).not.toContain(TOKEN);
    expect(joined).toContain('[redacted:config]');
    expect(joined).toContain('[REDACTED:github-token]');
    const tail = gateway.app.gateway.snapshot().upstreams.find((u) => u.name === 'noisy')?.stderrTail ?? [];
    expect(tail.some((l) => l.includes('starting with key [redacted:config] and [REDACTED:github-token]'))).toBe(true);
    expect(JSON.stringify(tail)).not.toContain(TOKEN);
  });

  it('logs the redacted stderr tail at warn when an upstream exits unasked', async () => {
    await expect(client.callTool({ name: 'noisy__crash', arguments: {} })).rejects.toThrow(/upstream "noisy"/);
    const exit = await waitFor(() => logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'upstream process exited' && l.upstream === 'noisy'), 5000, 'exit log');
    expect(exit.level).toBe(40);
    expect(exit.code).toBe(3);
    expect(JSON.stringify(exit.stderrTail)).toContain('[REDACTED:github-token]');
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });

  it('killAllGroups() ends an upstream that ignores SIGTERM and stdin EOF, and its grandchild', async () => {
    const pids = JSON.parse(textOf(await client.callTool({ name: 'stubborn__pids', arguments: {} }))) as { pid: number; grandchild: number };
    expect(isAlive(pids.pid) && isAlive(pids.grandchild)).toBe(true);
    gateway.app.killAllGroups();
    await waitFor(() => (!isAlive(pids.pid) && !isAlive(pids.grandchild) ? true : undefined), 2000, "the group to die");
  });
});
