/**
 * Issue 13, acceptance 1 and 5, through the built CLI as a user runs it: `watchdog run` with three
 * upstreams, one broken on purpose (it writes its reason to stderr and exits). `watchdog status` —
 * in a shell without the config's `${VAR}` secrets — shows two ready and one in backoff with its
 * stderr reason, a stdio gateway on the same config from its snapshot file, and exits 1; `--json`
 * matches the documented schema; with nothing running it exits 2. `watchdog findings --json` lists
 * what a scripted session recorded, with filters, from a read-only store.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusReportSchema } from '../../src/config/index.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { connectHttp, NODE, ROOT, tempDir, textOf, TOY, waitFor, freePort } from '../helpers/gateway.js';

const POISONED = join(ROOT, 'test/fixtures/poisoned-server.mjs');
const BROKEN = join(ROOT, 'test/fixtures/broken-server.mjs');
const SECRET = 'toy-secret-value-42';


async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runCli(args);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('watchdog status and watchdog findings against a running daemon', () => {
  const dir = tempDir();
  const config = join(dir, 'watchdog.yaml');
  let daemon: CliRun;
  let stdio: CliRun;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    writeFileSync(config, `
gateway:
  http: { port: ${port} }
  watchConfig: false
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}], env: { TOY_TOKEN: "\${STATUS_TEST_SECRET}" } }
  - { name: evil, command: ${NODE}, args: [${POISONED}] }
  - { name: broken, command: ${NODE}, args: [${BROKEN}] }
`);
    daemon = runCli(['run', '--config', config], { STATUS_TEST_SECRET: SECRET });
    await waitFor(() => (daemon.stderr().includes('ready on') ? true : undefined), 20_000, 'the daemon');
    stdio = runCli(['stdio', '--config', config], { STATUS_TEST_SECRET: SECRET });
    await waitFor(() => (stdio.stderr().includes('serving MCP on stdin/stdout') ? true : undefined), 20_000, 'the stdio gateway');
  }, 60_000);
  afterAll(async () => {
    for (const run of [daemon, stdio]) if (run.child.exitCode === null) run.child.kill('SIGTERM');
    await Promise.all([daemon?.exited, stdio?.exited]);
  });

  it('shows two upstreams ready and the broken one in backoff with its stderr reason; exit 1', async () => {
    expect(process.env.STATUS_TEST_SECRET).toBeUndefined();
    const { code, stdout } = await cli(['status', '--config', config]);
    expect(code).toBe(1);
    const daemonBlock = stdout.split('\n\n')[0] as string;
    expect(daemonBlock).toMatch(new RegExp(`^gateway pid ${daemon.child.pid} · http http://127\\.0\\.0\\.1:${port}/mcp`));
    expect(daemonBlock).toMatch(/^\s+toy\s+stdio\s+ready\s+\d+\s+0\s+\d+\s*$/m);
    expect(daemonBlock).toMatch(/^\s+evil\s+stdio\s+ready\s+\d+/m);
    expect(daemonBlock).toMatch(/^\s+broken\s+stdio\s+backoff\s+-\s+\d+\s+0\s+\S+ .*stderr: FATAL: missing API_KEY \(set it in the environment\)$/m);
    expect(stdout).toContain(`gateway pid ${stdio.child.pid} · stdio, from its snapshot file`);
    expect(stdout).toMatch(/state: degraded \(4 of 6 upstreams ready\)/);
    expect(stdout).not.toContain(SECRET);
  });

  it('--json matches the documented schema, with the reason in lastError', async () => {
    const { code, stdout } = await cli(['status', '--config', config, '--json']);
    expect(code).toBe(1);
    const body = JSON.parse(stdout);
    const report = StatusReportSchema.parse(body);
    expect(report).toEqual(body); // no field outside the schema
    expect(report.state).toBe('degraded');
    const [http, snapshot] = report.gateways;
    expect(http?.source).toBe('http');
    expect(http?.pid).toBe(daemon.child.pid);
    expect(http?.config.path).toBe(config);
    expect(http?.config.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(http?.upstreams.map((u) => [u.name, u.state])).toEqual([['toy', 'ready'], ['evil', 'ready'], ['broken', 'backoff']]);
    const broken = http?.upstreams[2];
    expect(broken?.lastError?.message).toMatch(/Connection closed/);
    expect(broken?.lastError?.stderr.at(-1)).toBe('FATAL: missing API_KEY (set it in the environment)');
    expect(broken?.restarts).toBeGreaterThanOrEqual(0);
    expect(snapshot?.source).toBe('snapshot');
    expect(snapshot?.mode).toBe('stdio');
    expect(snapshot?.pid).toBe(stdio.child.pid);
  });

  it('--url reaches the daemon without a config', async () => {
    const run = runCli(['status', '--url', `http://127.0.0.1:${port}/mcp`, '--json'], {}, tempDir());
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(StatusReportSchema.parse(JSON.parse(run.stdout())).gateways.map((g) => g.pid)).toEqual([daemon.child.pid]);
  });

  it('findings --json lists what a scripted session recorded, with filters', async () => {
    const client = await connectHttp(`http://127.0.0.1:${port}/mcp`);
    expect(textOf(await client.callTool({ name: 'evil__get_config', arguments: {} }))).toContain('region: eu-west-1');
    expect(textOf(await client.callTool({ name: 'evil__fetch_page', arguments: { url: 'https://docs.example' } }))).toMatch(/blocked by mcp-watchdog/);
    await client.close();

    type Page = { findings: Array<{ id: string; rule: string; severity: string; action: string; upstream: string; method: string; excerpt: string }>; nextCursor?: string };
    const all = await cli(['findings', '--config', config, '--json', '--since', '1h']);
    expect(all.code).toBe(0);
    const page = JSON.parse(all.stdout) as Page;
    const calls = page.findings.filter((f) => f.method === 'tools/call');
    expect(calls.map((f) => f.rule)).toContain('secrets/aws-access-key');
    expect(calls.some((f) => f.action === 'block')).toBe(true);
    expect(all.stdout).not.toContain(['AKIA', 'Q3EGRX7V', 'N2LBMZ4P'].join(''));

    const secrets = JSON.parse((await cli(['findings', '--config', config, '--json', '--rule', 'secrets', '--severity', 'high', '--upstream', 'evil'])).stdout) as Page;
    expect(secrets.findings.map((f) => [f.rule, f.action])).toEqual([['secrets/aws-access-key', 'redact']]);
    expect(secrets.findings[0]?.excerpt).toMatch(/^AKI…4P/);

    const none = JSON.parse((await cli(['findings', '--config', config, '--json', '--upstream', 'toy'])).stdout) as Page;
    expect(none.findings).toEqual([]);
    const paged = JSON.parse((await cli(['findings', '--config', config, '--json', '--limit', '1'])).stdout) as Page;
    expect(paged.findings).toHaveLength(1);
    const next = JSON.parse((await cli(['findings', '--config', config, '--json', '--limit', '1', '--cursor', paged.nextCursor as string])).stdout) as Page;
    expect(next.findings[0]?.id).not.toBe(paged.findings[0]?.id);

    const table = await cli(['findings', '--config', config, '--rule', 'secrets/*']);
    expect(table.stdout).toMatch(/ high\s+redact secrets\/aws-access-key  evil evil__get_config  tools\/call to_client /);
    // Under the finding: the detector's reason and whose request it was, on one indented line.
    expect(table.stdout).toMatch(/ secrets\/aws-access-key  evil evil__get_config .*\n {4}\S.* · principal \S+\n/);
    const bad = await cli(['findings', '--config', config, '--since', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "last tuesday" is not a time/);
  }, 90_000); // seven CLI runs, each a fresh node process: seconds each on a loaded machine

  it('exits 2 when nothing runs', async () => {
    daemon.child.kill('SIGTERM');
    stdio.child.kill('SIGTERM');
    await Promise.all([daemon.exited, stdio.exited]);
    const text = await cli(['status', '--config', config]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('no gateway is running on this config');
    expect(text.stdout).toMatch(new RegExp(`note: http://127\\.0\\.0\\.1:${port}: no gateway answers \\(ECONNREFUSED\\)`));
    const json = await cli(['status', '--config', config, '--json']);
    expect(json.code).toBe(2);
    expect(StatusReportSchema.parse(JSON.parse(json.stdout))).toMatchObject({ state: 'unreachable', gateways: [] });
  });
});
