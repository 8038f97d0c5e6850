/**
 * An MCP client transport over a child process's stdin/stdout, spawned in its own process group.
 * Why not the SDK's StdioClientTransport: the gateway must end the whole group on close (a server
 * started through `npx` or a shell leaves grandchildren behind otherwise) and must control the
 * environment (an allow-list plus the configured `env`, never the gateway's own secrets).
 * The command always comes from config; nothing in a request can reach `spawn`.
 *
 * Ordering: the SDK 2.4.0 Client runs notification handlers a microtask late but settles a response at
 * once, so a request's last progress notification, written just before its result, reached the
 * handler after the request was gone and was dropped ("unknown token"; measured on 3 of 4 calls to a
 * 2026-07-28 server). A response that directly follows a notification is therefore delivered one
 * macrotask later, with everything behind it kept in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage, type Transport } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';

type JSONRPCMessage = Parameters<Transport['send']>[0];

/** Variables a server may inherit from the gateway's environment (everything else must be configured). */
export const INHERITED_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ', 'SYSTEMROOT', 'APPDATA'] as const;

export interface ProcessSpec {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
}

/** Milliseconds between the stdin close, SIGTERM and SIGKILL steps of teardown. */
const GRACE_MS = 1000;

export function childEnvironment(spec: ProcessSpec, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_ENV) {
    const value = parent[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...spec.env };
}

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child?: ChildProcess;
  private readonly buffer = new ReadBuffer();
  private exited?: Promise<void>;
  private closing = false;
  private readonly backlog: JSONRPCMessage[] = [];
  private afterNotification = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly log: Logger,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: childEnvironment(this.spec),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // own process group, so teardown can signal every descendant
      windowsHide: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.on('error', (err) => this.onerror?.(err));
    child.once('close', () => {
      this.child = undefined;
      this.onclose?.();
    });
    child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim()) this.log.debug({ stderr: line.slice(0, 2000) }, 'upstream stderr');
    });
    child.stdin?.on('error', (err) => this.onerror?.(err));
  }

  private receive(chunk: Buffer): void {
    this.buffer.append(chunk);
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (err) {
        // A server that prints non-JSON to stdout breaks only that line, not the connection.
        this.log.warn({ err: String(err) }, 'upstream wrote a line that is not JSON-RPC');
        continue;
      }
      if (message === null) return;
      this.deliver(message);
    }
  }

  private deliver(message: JSONRPCMessage): void {
    const isResponse = !('method' in message);
    if (this.backlog.length > 0 || (isResponse && this.afterNotification)) {
      this.backlog.push(message);
      if (this.backlog.length === 1) setImmediate(() => this.drain());
      return;
    }
    this.afterNotification = !('id' in message);
    this.onmessage?.(message);
  }

  private drain(): void {
    this.afterNotification = false;
    const queued = this.backlog.splice(0);
    for (const message of queued) this.deliver(message);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('upstream process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the whole process group: stdin close, then SIGTERM, then SIGKILL. Idempotent. */
  async close(): Promise<void> {
    const child = this.child;
    if (this.closing || !child) return;
    this.closing = true;
    try {
      child.stdin?.end();
      if (await settles(this.exited, GRACE_MS)) return;
      signalGroup(child, 'SIGTERM');
      if (await settles(this.exited, GRACE_MS)) return;
      signalGroup(child, 'SIGKILL');
      await settles(this.exited, GRACE_MS);
    } finally {
      // Grandchildren may outlive the leader: always sweep the group.
      signalGroup(child, 'SIGKILL');
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function settles(p: Promise<void> | undefined, ms: number): Promise<boolean> {
  if (!p) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
