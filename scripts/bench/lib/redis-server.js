// A private redis-server for the flows scenario (issue 16): started on a free loopback port in a temporary
// folder without persistence (`--save ''`, `--appendonly no`), stopped at the end. `startRedis()` returns
// undefined when the binary is not installed, so the scenario prints a row saying so instead of failing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.js';

export const REDIS_BINARY = 'redis-server';

export const redisInstalled = () => spawnSync(REDIS_BINARY, ['--version'], { stdio: 'ignore' }).status === 0;

function pong(port) {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => undefined);
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** `{ port, close() }` once the server answers PING; undefined when redis-server is not installed. */
export async function startRedis() {
  if (!redisInstalled()) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'watchdog-bench-redis-'));
  const child = spawn(REDIS_BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const close = async () => {
    try {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const deadline = Date.now() + 10_000;
  while (!(await pong(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, close };
}
