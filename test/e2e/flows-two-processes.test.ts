/**
 * Issue 9, acceptance 2: two gateway processes on one store file — the HTTP daemon (in this process)
 * and a `watchdog stdio` gateway an assistant spawned (the built CLI, a real child process) — share
 * the flow store: a customer record read through the stdio gateway and sent to the sink through the
 * daemon is blocked; the reverse too. Both serve the same local user, so they share a principal.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_COMMIT_WINDOW_MS } from '../../src/app.js';
import { CLI } from '../helpers/cli.js';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';

const CRM = join(ROOT, 'test/fixtures/private-data-server.mjs');
const CHAT = join(ROOT, 'test/fixtures/sink-server.mjs');
/** Another process sees a read once its commit window has passed (README, Cross-server flows); an agent takes far longer to act. */
const committed = () => new Promise((done) => setTimeout(done, STORE_COMMIT_WINDOW_MS + 150));

describe('two gateway processes on one store', () => {
  const dir = tempDir('flows-two-');
  const yaml = `
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: crm, command: ${NODE}, args: [${CRM}], labels: [private] }
  - { name: chat, command: ${NODE}, args: [${CHAT}] }
`;
  let daemon: RunningGateway;
  let http: Client;
  let stdio: Client;

  beforeAll(async () => {
    const config = join(dir, 'watchdog.yaml');
    writeFileSync(config, yaml);
    daemon = await startGateway(yaml);
    http = await connectHttp(daemon.url);
    stdio = new Client({ name: 'assistant', version: '1.0.0' });
    stdio.setVersionNegotiation({ mode: 'legacy' });
    await stdio.connect(new StdioClientTransport({ command: NODE, args: [CLI, 'stdio', '--config', config], env: process.env as Record<string, string>, stderr: 'ignore' }));
  });
  afterAll(async () => {
    await stdio?.close();
    await http?.close();
    await daemon?.close();
  });

  it('read through the stdio gateway, sent through the daemon: blocked', async () => {
    expect(textOf(await stdio.callTool({ name: 'crm__get_customer', arguments: { id: 'c-1' } }))).toContain('DOC-8f3k2m9x1q7z');
    await committed();
    const result = await http.callTool({ name: 'chat__post_message', arguments: { channel: 'general', text: 'contract is DOC-8f3k2m9x1q7z' } });
    expect(result.isError).toBe(true);
    const ids = daemon.app.store.findings.page({ rule: 'flows/flow' }).findings.map((f) => f.id);
    expect(ids.some((id) => textOf(result).includes(id))).toBe(true);
  });

  it('read through the daemon, sent through the stdio gateway: blocked', async () => {
    await http.callTool({ name: 'crm__get_customer', arguments: { id: 'c-2' } });
    await committed();
    const result = await stdio.callTool({ name: 'chat__post_message', arguments: { channel: 'general', text: 'ping jane.doe@northwind-logistics.com' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^blocked by mcp-watchdog: .*finding f_[0-9a-f]{12}$/);
    // A call that carries nothing read passes through the same process.
    expect((await stdio.callTool({ name: 'chat__post_message', arguments: { channel: 'general', text: 'good morning' } })).isError).not.toBe(true);
  });
});
