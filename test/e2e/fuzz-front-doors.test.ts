/**
 * Issue 7, acceptance: the built CLI, attacked through each front door with 1,000+ seeded malformed
 * inputs (test/helpers/fuzz-inputs.ts): stdio (`mcp-watchdog stdio`), a 2025-11-25 session and the
 * 2026-07-28 leg of `mcp-watchdog run`. For every input: an answer within 5 s with the code of its class
 * (-32700 parse error, -32600 invalid request, -32601 unknown method — every Object.prototype member
 * name among them — -32602 invalid params; the HTTP status that goes with it; nothing for a
 * notification). Afterwards a normal tools/call still works on each door, both processes exit 0 when
 * asked to, and no configured secret (bearer token, upstream env value, upstream header) appears in
 * any reply, any line the processes logged (debug level, stderr) or the bytes of either SQLite store.
 * Replay a failure with FUZZ_SEED=<seed>.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { EXPECTED_CODE, fuzzCases, type FuzzCase, type FuzzDoor } from '../helpers/fuzz-inputs.js';
import { NODE, tempDir, TOY, waitFor } from '../helpers/gateway.js';
import { startHttpUpstream, type HttpUpstream } from '../helpers/http-upstream.js';
import { INIT, JSON_HEADERS, MODERN_META, modernHeaders, storeBytes } from '../helpers/raw-rpc.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260728);
const PER_DOOR = 1000;
const ANSWER_MS = 5000;
const HTTP_PARALLEL = 4;
const TOKEN = 'tok-Fuzz7-a1b2c3d4e5f60718293a';
const ENV_SECRET = 'env-Fuzz7-0f1e2d3c4b5a69788796';
const HEADER_SECRET = 'hdr-Fuzz7-99aa88bb77cc66dd55ee';
const AUTH = { authorization: `Bearer ${TOKEN}` };

interface Reply {
  id?: unknown;
  method?: string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

function writeConfig(dir: string, name: string, remote: string): { config: string; store: string } {
  const store = join(dir, name, 'watchdog.db');
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, `
gateway: { store: ${store}, http: { port: 0 }, auth: { tokens: ["${TOKEN}"] } }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}], env: { TOY_SECRET: "${ENV_SECRET}" } }
  - { name: web, url: "${remote}", headers: { X-Upstream-Key: "${HEADER_SECRET}" } }
`);
  return { config, store };
}

/** Replies on the stdio process's stdout, in order (notifications from the gateway are skipped). */
class StdioReplies {
  readonly all: Reply[] = [];
  private buffered = '';
  constructor(run: CliRun) {
    run.child.stdout.on('data', (chunk: Buffer | string) => {
      this.buffered += String(chunk);
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const message = JSON.parse(line) as Reply;
        if (message.method !== undefined) continue;
        this.all.push(message);
        for (const wake of this.waiting.splice(0)) wake();
      }
    });
  }

  private readonly waiting: Array<() => void> = [];

  /** The reply at `index`, as soon as it arrives (no polling: a thousand round trips in a row). */
  async next(index: number, what: string): Promise<Reply> {
    const deadline = Date.now() + ANSWER_MS;
    while (this.all[index] === undefined) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer within ${ANSWER_MS} ms: ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.all[index] as Reply;
  }
}

type Outcome = { door: FuzzDoor; klass: string; ms: number };

async function runStdio(run: CliRun, replies: StdioReplies, cases: FuzzCase[], outcomes: Outcome[]): Promise<void> {
  let sentinel = 0;
  for (const [i, c] of cases.entries()) {
    const before = replies.all.length;
    const started = Date.now();
    run.child.stdin.write(`${c.text}\n`);
    const what = `stdio case ${i} (${c.klass}): ${c.text.slice(0, 120)}`;
    if (c.klass === 'notification') {
      const id = `sentinel-${++sentinel}`;
      run.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`);
      const reply = await replies.next(before, what);
      expect(reply.id, `${what}: a notification was answered`).toBe(id);
    } else {
      const reply = await replies.next(before, what);
      expect(reply.error?.code, what).toBe(EXPECTED_CODE[c.klass]);
      if (c.id !== undefined) expect(reply.id, what).toBe(c.id);
    }
    outcomes.push({ door: 'stdio', klass: c.klass, ms: Date.now() - started });
  }
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; reply?: Reply }> {
  const res = await fetch(url, { method: 'POST', headers: { ...JSON_HEADERS, ...AUTH, ...headers }, body, signal: AbortSignal.timeout(ANSWER_MS) });
  const text = await res.text();
  const data = res.headers.get('content-type')?.includes('text/event-stream') ? text.split('\n').find((l) => l.startsWith('data: ') && l.length > 6)?.slice(6) : text;
  return { status: res.status, text, reply: data ? (JSON.parse(data) as Reply) : undefined };
}

/** The HTTP status each class gets on each HTTP door. */
function expectedStatus(door: FuzzDoor, c: FuzzCase): number {
  if (c.klass === 'parse' || c.klass === 'invalid-request') return 400;
  if (c.klass === 'notification') return 202;
  if (c.klass === 'unknown-method' && door === 'modern') return 404;
  return 200;
}

function headersFor(door: FuzzDoor, c: FuzzCase, session: string): Record<string, string> {
  if (door === 'legacy') return { 'mcp-session-id': session };
  if (c.method === undefined || !/^[\x20-\x7e]*$/.test(c.method)) return {};
  return modernHeaders({ method: c.method, params: c.name === undefined ? {} : c.method === 'resources/read' ? { uri: c.name } : { name: c.name } });
}

async function runHttp(url: string, door: FuzzDoor, session: string, cases: FuzzCase[], outcomes: Outcome[], texts: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i] as FuzzCase;
      const what = `${door} case ${i} (${c.klass}): ${c.text.slice(0, 120)}`;
      const started = Date.now();
      const res = await post(url, c.text, headersFor(door, c, session));
      outcomes.push({ door, klass: c.klass, ms: Date.now() - started });
      texts.push(res.text);
      expect(res.status, `${what} → ${res.text.slice(0, 300)}`).toBe(expectedStatus(door, c));
      if (c.klass === 'notification') continue;
      expect(res.reply?.error?.code, `${what} → ${res.text.slice(0, 300)}`).toBe(EXPECTED_CODE[c.klass]);
      if (c.id !== undefined && c.id !== null) expect(res.reply?.id, what).toBe(c.id);
    }
  };
  await Promise.all(Array.from({ length: HTTP_PARALLEL }, worker));
}

const echo = (id: string | number, door: FuzzDoor, text: string) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'toy__echo', arguments: { text }, ...(door === 'modern' && { _meta: MODERN_META }) } });

describe(`front doors under fuzzing (issue 7 acceptance, seed ${SEED})`, () => {
  const dir = tempDir();
  let remote: HttpUpstream;
  let http: CliRun;
  let stdio: CliRun;
  let stdioReplies: StdioReplies;
  let url: string;
  let stores: string[];
  const outcomes: Outcome[] = [];
  const texts: string[] = [];

  beforeAll(async () => {
    remote = await startHttpUpstream('remote');
    const a = writeConfig(dir, 'http', remote.url);
    const b = writeConfig(dir, 'stdio', remote.url);
    stores = [a.store, b.store];
    const env = { WATCHDOG_LOG_LEVEL: 'debug', HOME: dir };
    http = runCli(['run', '--config', a.config], env, dir);
    stdio = runCli(['stdio', '--config', b.config], env, dir);
    stdioReplies = new StdioReplies(stdio);
    url = await waitFor(() => /"url":"([^"]+)"/.exec(http.stderr())?.[1], 20_000, 'the HTTP gateway to listen');
    stdio.child.stdin.write(`${JSON.stringify(INIT)}\n`);
    expect((await waitFor(() => stdioReplies.all[0], 20_000, 'the stdio gateway to initialize')).result).toBeDefined();
    stdio.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  }, 60_000);
  afterAll(async () => {
    for (const run of [http, stdio]) if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await remote?.close();
  });

  it('answers 1,000+ malformed inputs per front door with the right code, each within 5 s, and keeps serving', async () => {
    const started = Date.now();
    const init = await fetch(url, { method: 'POST', headers: { ...JSON_HEADERS, ...AUTH }, body: JSON.stringify(INIT) });
    const session = init.headers.get('mcp-session-id') ?? '';
    await init.text();
    expect(session).not.toBe('');
    await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { 'mcp-session-id': session });

    const doors: FuzzDoor[] = ['stdio', 'legacy', 'modern'];
    const cases = new Map(doors.map((door, i) => [door, fuzzCases(SEED + i, door, PER_DOOR)]));
    for (const door of doors) {
      const list = cases.get(door) ?? [];
      expect(list.length).toBeGreaterThanOrEqual(PER_DOOR);
      for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(list.some((c) => c.klass === 'unknown-method' && c.method === name), `${door} ${name}`).toBe(true);
    }
    const timed = async (door: FuzzDoor, run: Promise<void>) => {
      const t = Date.now();
      await run;
      elapsed[door] = Date.now() - t;
    };
    const elapsed: Record<string, number> = {};
    await Promise.all([
      timed('stdio', runStdio(stdio, stdioReplies, cases.get('stdio') ?? [], outcomes)),
      timed('legacy', runHttp(url, 'legacy', session, cases.get('legacy') ?? [], outcomes, texts)),
      timed('modern', runHttp(url, 'modern', session, cases.get('modern') ?? [], outcomes, texts)),
    ]);

    // Both processes are alive and a normal call works on every door.
    expect(http.child.exitCode).toBeNull();
    expect(stdio.child.exitCode).toBeNull();
    const before = stdioReplies.all.length;
    stdio.child.stdin.write(`${echo('final', 'stdio', 'after the storm')}\n`);
    expect((await stdioReplies.next(before, 'final stdio call')).result?.content).toEqual([{ type: 'text', text: 'toy:after the storm' }]);
    const legacy = await post(url, echo('final', 'legacy', 'legacy ok'), { 'mcp-session-id': session });
    expect(legacy.reply?.result?.content).toEqual([{ type: 'text', text: 'toy:legacy ok' }]);
    const modern = await post(url, echo('final', 'modern', 'modern ok'), modernHeaders({ method: 'tools/call', params: { name: 'toy__echo' } }));
    expect(modern.reply?.result?.content).toEqual([{ type: 'text', text: 'toy:modern ok' }]);

    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const byDoor = Object.fromEntries(doors.map((d) => [d, outcomes.filter((o) => o.door === d).length]));
    console.log(`fuzz seed ${SEED}: ${outcomes.length} inputs ${JSON.stringify(byDoor)} in ${Date.now() - started} ms (per door ${JSON.stringify(elapsed)}), slowest answer ${slowest} ms`);
    expect(slowest).toBeLessThan(ANSWER_MS);
    for (const door of doors) expect(byDoor[door]).toBeGreaterThanOrEqual(PER_DOOR);
  }, 120_000);

  it('leaks no configured secret into replies, logs or the stores, and both processes exit 0', async () => {
    stdio.child.stdin.end();
    http.child.kill('SIGTERM');
    expect((await stdio.exited).code).toBe(0);
    expect((await http.exited).code).toBe(0);
    const replies = texts.join('\n') + JSON.stringify(stdioReplies.all);
    const logs = http.stderr() + stdio.stderr();
    expect(logs).toContain('"msg":"listening"'); // the log was captured (at debug level)
    const bytes = stores.map(storeBytes);
    for (const b of bytes) expect(b.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, ENV_SECRET, HEADER_SECRET]) {
      expect(replies.includes(secret), `a reply contains ${secret}`).toBe(false);
      expect(logs.includes(secret), `the log contains ${secret}`).toBe(false);
      for (const b of bytes) expect(b.includes(secret), `a store contains ${secret}`).toBe(false);
    }
  }, 30_000);
});
