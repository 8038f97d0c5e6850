// Child processes of the benchmark suite: the fixture upstream, the gateway (the built CLI, as a user
// runs it) and mcp-proxy, each on a free port of 127.0.0.1, plus their resident memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const NODE = process.execPath;
export const FIXTURE = join(ROOT, 'scripts/bench/lib/fixture-server.mjs');
export const CLI = join(ROOT, 'dist/cli/main.js');
export const MCP_PROXY = join(ROOT, 'node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs');

export async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Resolves when `stream` has printed a line matching `pattern` (the match), rejects after `ms`. */
export function waitForLine(child, stream, pattern, ms = 30_000) {
  return new Promise((resolveLine, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} (${buffered.slice(-400)})`)), ms);
    const onData = (chunk) => {
      buffered += chunk;
      const match = pattern.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      child[stream].off('data', onData);
      child[stream].resume();
      resolveLine(match);
    };
    child[stream].setEncoding('utf8');
    child[stream].on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}: ${buffered.slice(-400)}`)));
  });
}

export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

/** The fixture served over Streamable HTTP: `{ child, url }`. */
export async function startHttpFixture() {
  const child = spawn(NODE, [FIXTURE, '--http', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [, url] = await waitForLine(child, 'stdout', /listening (\S+)\n/);
  return { child, url };
}

/**
 * A gateway config with `count` stdio fixture upstreams named bench, bench1, …; the store in a temp folder.
 * The rate guard stays on (its cost is measured) with a call limit no benchmark loop reaches: the default
 * 120/min would refuse the load itself.
 */
export function gatewayConfig(port, { upstreams = 1, extra = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'watchdog-bench-'));
  const lines = ['gateway:', `  http: { host: 127.0.0.1, port: ${port}, path: /mcp }`, '  watchConfig: false', '  logLevel: warn', `  store: ${join(dir, 'watchdog.db')}`, 'rateLimits: { calls: { perMinute: 100000000, burst: 1000000 } }', extra, 'upstreams:'];
  for (let i = 0; i < upstreams; i++) lines.push(`  - { name: bench${i === 0 ? '' : i}, command: ${NODE}, args: [${FIXTURE}] }`);
  const file = join(dir, 'watchdog.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * `watchdog run` on a fresh config; resolves once it logs `ready on`. `{ child, url, startedMs }`.
 * Options: upstreams (default 1), nodeArgs, cli (another build's dist/cli/main.js, for before/after runs).
 */
export async function startGateway(options = {}) {
  const port = await freePort();
  const config = gatewayConfig(port, options);
  const t0 = performance.now();
  const child = spawn(NODE, [...(options.nodeArgs ?? []), options.cli ?? CLI, 'run', '--config', config, '--log-level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.cwd ?? ROOT });
  await waitForLine(child, 'stderr', /ready on /, 60_000);
  return { child, url: `http://127.0.0.1:${port}/mcp`, startedMs: performance.now() - t0, config };
}

/** mcp-proxy (the pinned devDependency) in front of the stdio fixture, stream endpoint only. */
export async function startMcpProxy() {
  const port = await freePort();
  const child = spawn(NODE, [MCP_PROXY, '--port', String(port), '--host', '127.0.0.1', '--server', 'stream', '--', NODE, FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  const url = `http://127.0.0.1:${port}/mcp`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(url, { method: 'GET' }).then(() => true, () => false);
    if (up) return { child, url };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('mcp-proxy did not listen');
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb * 1024;
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; 10 ms ticks, so sum many calls). */
export function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
