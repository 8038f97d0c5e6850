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
 *
 * Size (issue 7, item 2): stdout is framed here (line-framer.ts), not by the SDK's ReadBuffer, whose
 * throw past 10 MiB escaped the `data` listener and killed the gateway. A line over
 * `upstreams[].maxMessageBytes` is discarded up to its newline and fails only the request it answers
 * (WDG_UPSTREAM_MESSAGE_TOO_LARGE). Every listener is guarded, so no upstream output can throw out of
 * an event handler. Each group is registered with ProcessGroups (forced-exit sweep and the reaper).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { deserializeMessage, serializeMessage, type Transport } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import { WatchdogError, toJsonRpcError } from '../core/index.js';
import { LineFramer, type OversizedLine } from './line-framer.js';
import { recoverEnvelope } from './oversized-envelope.js';
import { killGroup, type ProcessGroups } from './process-groups.js';
import type { RedactText, StderrSink } from './stderr-tail.js';

type JSONRPCMessage = Parameters<Transport['send']>[0];

/** Variables a server may inherit from the gateway's environment (everything else must be configured). */
export const INHERITED_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ', 'SYSTEMROOT', 'APPDATA'] as const;

export interface ProcessSpec {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
}

/** What the transport needs besides the command: limits, the group registry and where stderr goes. */
export interface ProcessOptions {
  /** The upstream's name, for error messages. */
  upstream: string;
  /** Largest stdout line accepted (`upstreams[].maxMessageBytes`). */
  maxMessageBytes: number;
  /** Registry of live process groups (killed on forced exit and by the reaper); optional for one-off tools. */
  groups?: ProcessGroups;
  /** Receives redacted stderr lines and unrequested exits; default: stderr is dropped. */
  stderr?: StderrSink;
  /** Applied to any upstream text that reaches the log (a stdout line that is not JSON-RPC). */
  redact?: RedactText;
}

/** Milliseconds between the stdin close, SIGTERM and SIGKILL steps of teardown. */
const GRACE_MS = 1000;
/** A stderr line longer than this is cut (the rest up to its newline is dropped). */
const STDERR_LINE_BYTES = 8192;

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
  private readonly stdout: LineFramer;
  private exited?: Promise<void>;
  private closing = false;
  private readonly backlog: JSONRPCMessage[] = [];
  private afterNotification = false;
  /** stdin is corked until the check phase of this turn (`send`). */
  private corked = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly log: Logger,
    private readonly options: ProcessOptions,
  ) {
    this.stdout = new LineFramer(options.maxMessageBytes, { line: (text) => this.parse(text), oversized: (line) => this.oversized(line) });
  }

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
    if (child.pid !== undefined) this.options.groups?.add(child.pid);
    this.listen(child);
  }

  /** Every listener here is guarded: nothing an upstream does may throw out of an event handler. */
  private listen(child: ChildProcess): void {
    child.on('error', (err) => this.guard(() => this.onerror?.(err)));
    child.once('exit', (code, signal) => this.guard(() => this.ended(child, code, signal)));
    child.once('close', () => {
      this.child = undefined;
      this.guard(() => this.onclose?.());
    });
    child.stdout?.on('data', (chunk: Buffer) => this.guard(() => this.stdout.push(chunk)));
    const sink = this.options.stderr;
    const stderr = new LineFramer(STDERR_LINE_BYTES, {
      line: (text) => sink?.line(text),
      oversized: (line) => sink?.line(`${line.head} [… ${line.bytes} bytes, cut]`),
    });
    child.stderr?.on('data', (chunk: Buffer) => this.guard(() => stderr.push(chunk)));
    child.stderr?.on('end', () => this.guard(() => stderr.flush()));
    // An 'error' with no listener is thrown by the emitter; a broken pipe must only end this connection.
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.on('error', (err) => this.guard(() => this.onerror?.(err)));
  }

  /**
   * The group leader exited: sweep its group (grandchildren of a dead server are orphans nobody will
   * end) and drop it from the registry; an exit nobody asked for is reported with the stderr tail.
   */
  private ended(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.pid !== undefined) {
      killGroup(child.pid, 'SIGKILL');
      this.options.groups?.remove(child.pid);
    }
    if (!this.closing) this.options.stderr?.exited({ pid: child.pid, code, signal });
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.log.error({ err: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 'error in an upstream event handler (contained)');
    }
  }

  private parse(line: string): void {
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (err) {
      // A server that prints non-JSON to stdout breaks only that line, not the connection.
      const excerpt = (this.options.redact ?? ((t: string) => t))(line.slice(0, 200));
      this.log.warn({ bytes: line.length, excerpt, reason: err instanceof SyntaxError ? 'not JSON' : 'not a JSON-RPC message' }, 'upstream wrote a line that is not JSON-RPC');
      return;
    }
    this.deliver(message);
  }

  /**
   * An oversized line was discarded. If it was a response, its request fails now with the clear error
   * (a synthetic error response with the recovered id); if it was a request from the server, the server
   * gets that error as its answer; otherwise it is only logged.
   */
  private oversized(line: OversizedLine): void {
    const { upstream, maxMessageBytes: limit } = this.options;
    const { id, method } = recoverEnvelope(line.head, line.tail);
    this.log.warn({ bytes: line.bytes, limit, id, method }, 'upstream message over maxMessageBytes discarded');
    if (id === undefined) return;
    const error = toJsonRpcError(new WatchdogError('WDG_UPSTREAM_MESSAGE_TOO_LARGE', { upstream, bytes: line.bytes, limit }, { upstream, bytes: line.bytes, limit }));
    if (method === undefined) this.deliver({ jsonrpc: '2.0', id, error });
    else this.send({ jsonrpc: '2.0', id, error }).catch(() => undefined);
  }

  private deliver(message: JSONRPCMessage): void {
    const isResponse = !('method' in message);
    if (this.backlog.length > 0 || (isResponse && this.afterNotification)) {
      this.backlog.push(message);
      if (this.backlog.length === 1) setImmediate(() => this.guard(() => this.drain()));
      return;
    }
    this.afterNotification = !('id' in message);
    this.onmessage?.(message);
  }

  private drain(): void {
    this.afterNotification = false;
    const queued = this.backlog.splice(0);
    for (const message of queued) this.guard(() => this.deliver(message));
  }

  /**
   * Messages sent in one turn of the event loop leave in one pipe write (issue 14): the first corks
   * stdin and the check phase uncorks it. Each write to the pipe wakes the server process and was 14% of
   * the gateway's CPU with 32 sessions calling at once; a lone call waits only for the end of the poll phase.
   */
  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('upstream process is not running'));
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      setImmediate(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
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
      if (child.pid !== undefined) this.options.groups?.remove(child.pid);
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined) killGroup(child.pid, signal);
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
