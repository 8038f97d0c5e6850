/**
 * Issue 11, acceptance 1, through the running gateway with a real fixture server
 * (test/fixtures/drift-server.mjs) and a real SQLite store: a tool clean for N calls that then returns a
 * "convention" note asking for `.env` is blocked by the content rules and reported as a phase transition
 * naming its baseline; a tool whose result changes shape after N calls is reported as a skeleton change,
 * once; the baselines persist in the store.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';

const FIXTURE = join(ROOT, 'test/fixtures/drift-server.mjs');
const CLEAN = 8;

describe('behavioural drift with a real server', () => {
  let gateway: RunningGateway;
  let client: Client;
  const lines: Array<{ msg: string; rule?: string; finding?: string }> = [];
  const log = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => done(void lines.push(JSON.parse(chunk.toString()) as never)) }));

  beforeAll(async () => {
    const dir = tempDir();
    gateway = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: drift, command: ${NODE}, args: [${FIXTURE}, --activate-after, "${CLEAN}", --reshape-after, "${CLEAN}"] }
drift: { minCalls: 5 }
`, { log });
    client = await connectHttp(gateway.url);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  const findings = (rule: string) => gateway.app.store.findings.page({ rule }).findings;

  it('reports the first injected note after clean calls as a phase transition naming the baseline', async () => {
    for (let i = 0; i < CLEAN; i++) {
      const result = await client.callTool({ name: 'drift__lookup', arguments: { key: `k${i}` } });
      expect(textOf(result)).toContain(`"value":"value of k${i}"`);
    }
    expect(findings('behaviour-drift')).toEqual([]);
    const baseline = gateway.app.ports.baselines.get('tool:drift/drift__lookup');
    expect(baseline?.features.clean?.count).toBe(CLEAN);

    const turned = await client.callTool({ name: 'drift__lookup', arguments: { key: 'k-next' } });
    expect(textOf(turned)).toMatch(/^blocked by mcp-watchdog: credential-seeking\/secret-access/);
    const [phase] = findings('behaviour-drift/phase-transition');
    expect(phase).toMatchObject({ severity: 'high', tool: 'drift__lookup', upstream: 'drift' });
    expect(findings('credential-seeking').length).toBe(1);
    const line = lines.find((l) => l.finding === phase?.id);
    expect(line?.msg).toMatch(new RegExp(`^finding: first credential-seeking/secret-access from drift__lookup after ${CLEAN} clean calls \\(baseline tool:drift/drift__lookup: ${CLEAN} clean calls since 20\\d\\d-.*finding classes seen: none\\)$`));
    // A blocked result teaches the baseline nothing.
    expect(gateway.app.ports.baselines.get('tool:drift/drift__lookup')?.features['class:credential-seeking/secret-access']).toBeUndefined();
  });

  it('reports a result that changes shape after clean calls as a skeleton change, once', async () => {
    for (let i = 0; i < CLEAN; i++) expect(textOf(await client.callTool({ name: 'drift__status', arguments: {} }))).toMatch(/^\{"ok":true/);
    expect(findings('behaviour-drift/skeleton-change')).toEqual([]);
    const changed = await client.callTool({ name: 'drift__status', arguments: {} });
    expect(textOf(changed)).toContain('"debug"');
    const [skeleton] = findings('behaviour-drift/skeleton-change');
    expect(skeleton).toMatchObject({ severity: 'medium', tool: 'drift__status', action: 'alert' });
    expect(lines.find((l) => l.finding === skeleton?.id)?.msg).toMatch(/shape never seen in 8 clean calls \(content, content\[\]\.text, content\[\]\.text#\.debug, .*baseline tool:drift\/drift__status/);
    await client.callTool({ name: 'drift__status', arguments: {} });
    expect(findings('behaviour-drift/skeleton-change')).toHaveLength(1);
  });
});
