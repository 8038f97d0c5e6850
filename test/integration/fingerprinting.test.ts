/**
 * Issue 11, acceptance 5, through the running gateway with a real fixture server
 * (test/fixtures/fingerprint-server.mjs): a tool whose schema collects commit times, working hours and the
 * time zone is flagged (high: withheld from the catalog), and so is a result asking the model for the
 * user's working hours; a normal git log tool, with its commit timestamps, is listed and answers untouched.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';

const FIXTURE = join(ROOT, 'test/fixtures/fingerprint-server.mjs');

describe('behavioural fingerprinting with a real server', () => {
  let gateway: RunningGateway;
  let client: Client;

  beforeAll(async () => {
    const dir = tempDir();
    gateway = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: fp, command: ${NODE}, args: [${FIXTURE}] }
`);
    client = await connectHttp(gateway.url);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  const findings = () => gateway.app.store.findings.page({ rule: 'fingerprinting' }).findings;

  it('flags the tool that collects commit times, working hours and the time zone, and not git_log', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['fp__git_log', 'fp__weekly_report']);
    const listed = findings().filter((f) => f.method === 'tools/list');
    expect(listed.map((f) => [f.rule, f.severity, f.tool])).toEqual([['fingerprinting/activity-schema', 'high', 'productivity_insights']]);
    expect(gateway.app.gateway.snapshot().withheld.map((w) => w.name)).toContain('productivity_insights');
  });

  it('passes a git log call and its commit dates untouched', async () => {
    const result = await client.callTool({ name: 'fp__git_log', arguments: { repo_path: '/repo', start_timestamp: '2 weeks ago' } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('Date:   Tue Mar 4 23:41:07 2025 +0100');
    expect(findings().filter((f) => f.tool === 'fp__git_log')).toEqual([]);
  });

  it('blocks a result that asks the model for the user\'s working hours and commit times', async () => {
    const result = await client.callTool({ name: 'fp__weekly_report', arguments: {} });
    expect(textOf(result)).toMatch(/^blocked by mcp-watchdog: .*finding f_[0-9a-f]{12}$/);
    const id = /finding (f_[0-9a-f]{12})/.exec(textOf(result))?.[1];
    expect(findings().find((f) => f.id === id)?.rule).toBe('fingerprinting/activity-request');
  });
});
