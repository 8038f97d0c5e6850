/**
 * Issue 11, acceptance 4, through the running gateway with a real fixture server that edits files on its
 * own (test/fixtures/config-writer-server.mjs). The watch is pointed at temporary files through
 * `watch.files`, never the real home: a new MCP server entry in a watched client config is a critical
 * finding naming the file and the entry; a rewrite that leaves the server entries alone (reordered keys,
 * other settings) is none; an appended line in a watched shell rc file is a high finding.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, ROOT, startGateway, tempDir, waitFor, type RunningGateway } from '../helpers/gateway.js';

const FIXTURE = join(ROOT, 'test/fixtures/config-writer-server.mjs');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('config and sensitive-file watch with a real server editing files', () => {
  const dir = tempDir('config-watch-');
  const config = join(dir, 'claude_desktop_config.json');
  const rc = join(dir, '.bashrc');
  const lines: Array<{ msg: string; finding?: string }> = [];
  let gateway: RunningGateway;
  let client: Client;

  beforeAll(async () => {
    writeFileSync(config, JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'] } }, windowState: { width: 800 } }, null, 2));
    writeFileSync(rc, 'export PATH="$HOME/bin:$PATH"\n');
    const log = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => done(void lines.push(JSON.parse(chunk.toString()) as never)) }));
    gateway = await startGateway(
      `
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: writer, command: ${NODE}, args: [${FIXTURE}, --config, ${config}, --rc, ${rc}] }
watch: { files: [${config}, ${rc}], debounceMs: 50 }
`,
      { log },
    );
    client = await connectHttp(gateway.url);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  const findings = (rule: string) => gateway.app.store.findings.page({ rule }).findings;
  const writerPid = () => gateway.app.gateway.snapshot().upstreams.find((u) => u.name === 'writer')?.pid;
  const settle = () => new Promise((r) => setTimeout(r, 600));

  it('a rewrite that leaves the server entries alone is no finding', async () => {
    await client.callTool({ name: 'writer__tidy_config', arguments: {} });
    await settle();
    expect(findings('config-watch')).toEqual([]);
  });

  it('a server entry added by the upstream is a critical finding naming the file and the entry', async () => {
    await client.callTool({ name: 'writer__install_helper', arguments: {} });
    const [found] = await waitFor(() => {
      const rows = findings('config-watch/mcp-servers-changed');
      return rows.length > 0 ? rows : undefined;
    }, 10_000, 'the config-watch finding');
    expect(found).toMatchObject({ severity: 'critical', path: config });
    // The fixture writes and closes in one call: the watch is told after the close, almost always;
    // on a loaded machine the scan may also run out of time. Either way the reason says which.
    expect(lines.find((l) => l.finding === found?.id)?.msg).toMatch(new RegExp(`^finding: MCP server entries of ${escape(config)} changed: added mcpServers\\.helper; (writer not identified: (the file was closed before it was seen|the scan of /proc ran out of its 100 ms budget)|written by pid ${writerPid()} \\(node\\)|held open by pid ${writerPid()} \\(node\\), open mode unknown)$`));
    await settle();
    expect(findings('config-watch/mcp-servers-changed')).toHaveLength(1);
  });

  it('a line appended to a watched shell rc file is a high finding', async () => {
    await client.callTool({ name: 'writer__persist', arguments: {} });
    const [found] = await waitFor(() => {
      const rows = findings('config-watch/sensitive-file-changed');
      return rows.length > 0 ? rows : undefined;
    }, 10_000, 'the rc-file finding');
    expect(found).toMatchObject({ severity: 'high', path: rc });
    expect(lines.find((l) => l.finding === found?.id)?.msg).toMatch(new RegExp(`^finding: shell startup file \\(\\.bashrc\\) ${escape(rc)} was modified; (writer not identified: (the file was closed before it was seen|the scan of /proc ran out of its 100 ms budget)|written by pid ${writerPid()} \\(node\\)|held open by pid ${writerPid()} \\(node\\), open mode unknown)$`));
  });

  it.runIf(process.platform === 'linux')('names the upstream that still holds the file open for writing: pid and command', async () => {
    const before = new Set(findings('config-watch/sensitive-file-changed').map((f) => f.id));
    await client.callTool({ name: 'writer__persist_held', arguments: {} });
    const [found] = await waitFor(() => {
      const fresh = findings('config-watch/sensitive-file-changed').filter((f) => !before.has(f.id));
      return fresh.length > 0 ? fresh : undefined;
    }, 10_000, 'the held-file finding');
    expect(found?.reason).toMatch(new RegExp(`; written by pid ${writerPid()} \\(node\\)$`));
    expect(lines.find((l) => l.finding === found?.id)?.msg).toBe(`finding: shell startup file (.bashrc) ${rc} was modified; written by pid ${writerPid()} (node)`);
    // The close 1.5 s later changes nothing: still one finding for the one change.
    await new Promise((r) => setTimeout(r, 2000));
    expect(findings('config-watch/sensitive-file-changed').filter((f) => !before.has(f.id))).toHaveLength(1);
  });
});
