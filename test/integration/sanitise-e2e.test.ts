/**
 * Issue 12, acceptance: the sanitise action end to end through the running gateway. A result with
 * zero-width characters, an HTML comment and an ANSI title arrives stripped, each removal marked with
 * its finding id (and recorded with a content hash and time, SMAC-4); a clean result arrives byte for
 * byte as the upstream wrote it; a real @modelcontextprotocol/server-filesystem upstream with stripping
 * switched off for it (`policy.upstreams.<name>.sanitise`) returns a file raw, while the same file read
 * through an upstream on the default policy arrives stripped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, ROOT, npmServer, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';

const FIXTURE = join(ROOT, 'test/fixtures/sanitise-server.mjs');
const FILE_TEXT = '# Totals\n<!-- reviewer: check the totals before release -->\nTotal\u200b: 42 units\n';

describe('the sanitise action through the running gateway', () => {
  const dir = tempDir();
  const files = tempDir('watchdog-fs-');
  let gateway: RunningGateway;
  let client: Client;
  let direct: Client;
  /** Raw bodies of the gateway's HTTP responses, as the client received them. */
  const bodies: string[] = [];

  beforeAll(async () => {
    writeFileSync(join(files, 'notes.md'), FILE_TEXT);
    gateway = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: san, command: ${NODE}, args: [${FIXTURE}] }
  - { name: fs, command: ${NODE}, args: [${npmServer('server-filesystem')}, ${files}] }
  - { name: fsdefault, command: ${NODE}, args: [${npmServer('server-filesystem')}, ${files}] }
policy:
  upstreams:
    fs: { sanitise: { comments: false, invisible: false, ansi: false, instructionBlocks: false } }
`, { baseDir: dir });
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      void response.clone().text().then((t) => bodies.push(t), () => undefined);
      return response;
    };
    client = new Client({ name: 'sanitise-test', version: '1.0.0' });
    client.setVersionNegotiation({ mode: 'legacy' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { fetch: recording }));
    direct = new Client({ name: 'direct', version: '1.0.0' });
    direct.setVersionNegotiation({ mode: 'legacy' });
    await direct.connect(new StdioClientTransport({ command: NODE, args: [FIXTURE], stderr: 'ignore' }));
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await direct?.close();
    await gateway?.close();
  });

  it('strips zero-width characters, an HTML comment and an ANSI title, leaving markers with the finding ids', async () => {
    const result = await client.callTool({ name: 'san__hidden_result', arguments: {} });
    expect(result.isError).not.toBe(true);
    const text = textOf(result);
    expect(text).not.toMatch(/[\u200b\u200c\u001b]|<!--|evil\.example|admin panel/);
    expect(text).toContain('Build report: 12 passed.');
    expect(text).toContain('Artifacts: dist/app.js');
    const markers = [...text.matchAll(/\[mcp-watchdog: stripped ([a-z-]+) (f_[0-9a-f]{12})\]/g)].map((m) => [m[1], m[2]]);
    expect(markers.map((m) => m[0]).sort()).toEqual(['ansi-control', 'html-comment', 'invisible-chars']);
    const rows = gateway.app.store.findings.query({ limit: 100, upstream: 'san' });
    for (const [, id] of markers) {
      const row = rows.find((r) => r.id === id);
      expect(row).toMatchObject({ action: 'strip', tool: 'san__hidden_result', direction: 'to_client' });
      expect(row?.matchHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.time).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('passes a clean result byte for byte', async () => {
    const expected = await direct.callTool({ name: 'clean_result', arguments: {} });
    const before = bodies.length;
    const viaGateway = await client.callTool({ name: 'san__clean_result', arguments: {} });
    expect(JSON.stringify(viaGateway)).toBe(JSON.stringify(expected));
    // On the wire: the upstream's result object, serialised exactly as the direct client received it.
    await new Promise((r) => setTimeout(r, 100));
    expect(bodies.slice(before).some((b) => b.includes(`{"result":${JSON.stringify(expected)},"jsonrpc":"2.0"`))).toBe(true);
    expect(gateway.app.store.findings.query({ limit: 100, upstream: 'san' }).filter((r) => r.tool === 'san__clean_result')).toEqual([]);
  });

  it('returns a file raw from a filesystem upstream with stripping off, and stripped from one on the default policy', async () => {
    const path = join(files, 'notes.md');
    const raw = textOf(await client.callTool({ name: 'fs__read_text_file', arguments: { path } }));
    expect(raw).toBe(FILE_TEXT);
    const stripped = textOf(await client.callTool({ name: 'fsdefault__read_text_file', arguments: { path } }));
    expect(stripped).not.toContain('<!--');
    expect(stripped).not.toContain('\u200b');
    expect(stripped).toMatch(/^# Totals\n\[mcp-watchdog: stripped html-comment f_[0-9a-f]{12}\]\nTotal: 42 units\n \[mcp-watchdog: stripped invisible-chars f_[0-9a-f]{12}\]$/);
    // Still recorded (text and structuredContent.content), only not rewritten.
    const fsRows = gateway.app.store.findings.query({ limit: 100, upstream: 'fs' });
    expect(new Set(fsRows.map((r) => `${r.rule} ${r.action}`))).toEqual(new Set(['hidden-content/html-comment alert', 'hidden-content/invisible-chars alert']));
  });
});
