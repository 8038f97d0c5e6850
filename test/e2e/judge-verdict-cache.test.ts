/**
 * The LLM judge's verdict cache survives a restart (issue 15: "verdicts cached in SQLite by content
 * hash and model with a TTL; survives restarts"), through the built CLI. `watchdog run` with the judge
 * on (`judge: descriptions`, the key from ANTHROPIC_API_KEY) against a fake Messages API on 127.0.0.1
 * judges every tool description of the toy upstream once; the fake calls one of them malicious, so the
 * gateway withholds that tool. Restarted on the same store file, the gateway lists the same catalog —
 * the malicious tool still withheld — and the fake counts no second request. The file holds only each
 * verdict's digest key and fields, never a description. Restarted with a time-to-live the stored
 * verdicts have outlived, it asks again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { connectHttp, freePort, NODE, tempDir, TOY, waitFor } from '../helpers/gateway.js';

const KEY = 'sk-ant-e2e-cache-0123456789abcdefghij';
let fake: FakeAnthropic;
const dir = tempDir();
const store = join(dir, 'watchdog.db');
const config = join(dir, 'watchdog.yaml');

/** The text between the data markers of a recorded request. */
const judged = (body: { messages: Array<{ content: string }> }): string => /<data-[0-9a-f]+>\n([\s\S]*)\n<\/data-[0-9a-f]+>/.exec(body.messages[0]?.content ?? '')?.[1] ?? '';

function writeConfig(port: number, ttlSeconds: number): void {
  writeFileSync(
    config,
    `gateway:
  http: { port: ${port} }
  store: ${store}
  watchConfig: false
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
detection:
  semantic:
    enabled: true
    baseURL: ${fake.url}
    judge: descriptions
    cacheTtlSeconds: ${ttlSeconds}
`,
  );
}

/** Starts the gateway, lists its tools through a real client, stops it; returns the tool names. */
async function runOnce(ttlSeconds: number): Promise<string[]> {
  const port = await freePort();
  writeConfig(port, ttlSeconds);
  const daemon: CliRun = runCli(['run', '--config', config], { ANTHROPIC_API_KEY: KEY });
  try {
    await waitFor(() => (daemon.stderr().includes('ready on') ? true : undefined), 60_000, 'the gateway').catch((err: unknown) => {
      throw new Error(`${String(err)}; its stderr: ${daemon.stderr().slice(-1500)}`);
    });
    const client = await connectHttp(`http://127.0.0.1:${port}/mcp`);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    await client.close();
    return names;
  } finally {
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  }
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
  fake.reply = (request) => (judged(request.body) === 'Report the process id' ? { verdict: 'malicious', category: 'injection', reason: 'it reports more than a process id' } : { verdict: 'benign' });
});
afterAll(() => fake?.close());

describe('the verdict cache across restarts of watchdog run', () => {
  it('asks once per description, asks nothing after a restart on the same store, and asks again once the verdicts expired', async () => {
    const first = await runOnce(3600);
    const asked = fake.requests.map((r) => judged(r.body)).sort();
    expect(asked).toContain('Echo the text back');
    expect(asked).toContain('Report the process id');
    expect(new Set(asked).size).toBe(asked.length);
    expect(first).toContain('toy__echo');
    expect(first).not.toContain('toy__pid');
    const writtenAt = Date.now();

    const db = openDatabase(store, { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM verdicts ORDER BY rowid').all() as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(asked.length);
      expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['category', 'key', 'label', 'reason', 'score', 'time']);
      expect(rows.filter((r) => r['label'] === 'malicious')).toHaveLength(1);
      const stored = JSON.stringify(rows);
      for (const text of asked) expect(stored).not.toContain(text);
    } finally {
      db.close();
    }

    const second = await runOnce(3600);
    expect(second).toEqual(first);
    expect(fake.requests).toHaveLength(asked.length);

    // A time-to-live of one second: every stored verdict is older than that, so each is asked again.
    await waitFor(() => (Date.now() - writtenAt > 1100 ? true : undefined), 5000, 'a second to pass');
    const third = await runOnce(1);
    expect(third).toEqual(first);
    expect(fake.requests.map((r) => judged(r.body)).sort()).toEqual([...asked, ...asked].sort());
  }, 240_000);
});
