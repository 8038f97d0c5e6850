/**
 * A real `redis-server` for tests (issue 16): started on a free loopback port, in a temporary folder,
 * without persistence (`--save ''`, no append-only file), stopped afterwards. Where the binary is not
 * installed the Redis suites cannot run: `redisMissing` says so, each suite then shows one skipped test
 * whose title is the notice, and with `WATCHDOG_REQUIRE_REDIS=1` (set by .ci/run, which installs it)
 * the absence is a failure instead, so CI never passes without running them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingNotice, registerNotice } from './engine-notice.js';

const BINARY = 'redis-server';

function installed(): boolean {
  return spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Why the Redis suites cannot run here, or undefined when they can. */
export const redisMissing: string | undefined = installed() ? undefined : `${BINARY} is not installed (apt-get install -y redis-server): the Redis backend is NOT tested here`;

missingNotice(redisMissing);

/** Registers the notice in place of a suite: a skipped test, or a failing one when CI requires Redis. */
export function redisNotice(): void {
  registerNotice(redisMissing, 'redis-server', 'WATCHDOG_REQUIRE_REDIS');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.destroy();
    });
    // With a password set, an unauthenticated PING is refused (-NOAUTH): the server answers all the same.
    socket.on('close', () => resolve(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')));
    socket.on('error', () => undefined);
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'wdg-redis-'));
  port = 0;
  #child: ChildProcess | undefined;
  readonly #password: string | undefined;

  /** `password`: the server requires it (`--requirepass`). */
  constructor(options: { password?: string } = {}) {
    this.#password = options.password;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (on the same port again after `stop()`); resolves when it answers PING. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(BINARY, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--protected-mode', 'yes', ...(this.#password === undefined ? [] : ['--requirepass', this.#password])], { stdio: 'ignore' });
    this.#child = child;
    const deadline = Date.now() + 10_000;
    while (!(await answers(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as with a hung host. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** Lets a frozen server run again (SIGCONT). */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
