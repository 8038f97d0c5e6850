/**
 * The connection behind the replicated stores (issue 16): one Valkey/Redis client for commands and one
 * subscribed to the change channel (a subscribed connection cannot send commands). Commands never queue
 * while the server is away (`enableOfflineQueue: false`): a write fails at once and its table keeps it
 * for the resync, so a gateway whose server is down answers from its local twins and no queue grows.
 * Both clients reconnect on their own (backoff up to 2 s, forever); the link is `up` when both are
 * ready. Going down is reported once per outage (an alert, not a line per write); coming back runs
 * `onUp` (subscribe, then the stores' resync), one at a time.
 */
import { createRequire } from 'node:module';
import type { ConnectionOptions } from 'node:tls';
import type { Redis } from 'iovalkey';

/** Where the server is; secrets included, so never logged as a whole. */
export interface RedisConnection {
  host: string;
  port: number;
  db?: number;
  username?: string;
  password?: string;
  /** TLS options; absent for plain TCP. */
  tls?: ConnectionOptions;
  /** Default 5000. */
  connectTimeoutMs?: number;
}

export interface LinkEvents {
  /** A message on the change channel. */
  message(text: string): void;
  /** After every (re)connection, once subscribed: resync. A failure is reported and retried at the next connection. */
  up(): Promise<void>;
  /** The server went away (once per outage) or a write failed. */
  down(reason: string): void;
}

const RETRY_CAP_MS = 2000;

/**
 * The client class, loaded on first use (iovalkey is CommonJS, so synchronously): a gateway whose store
 * is SQLite alone never pays for the module and its dependencies (issue 14, idle memory).
 */
function redisClass(): typeof Redis {
  return (createRequire(import.meta.url)('iovalkey') as typeof import('iovalkey')).Redis;
}

function client(connection: RedisConnection): Redis {
  const RedisClient = redisClass();
  return new RedisClient({
    host: connection.host,
    port: connection.port,
    db: connection.db ?? 0,
    ...(connection.username === undefined ? {} : { username: connection.username }),
    ...(connection.password === undefined ? {} : { password: connection.password }),
    ...(connection.tls === undefined ? {} : { tls: connection.tls }),
    connectTimeout: connection.connectTimeoutMs ?? 5000,
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResubscribe: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, RETRY_CAP_MS),
  });
}

export class RedisLink {
  readonly commands: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #events: LinkEvents;
  #up = false;
  #closed = false;
  #syncing: Promise<void> = Promise.resolve();
  #lastError: string | undefined;
  #lastErrorAt: number | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(connection: RedisConnection, channel: string, events: LinkEvents) {
    this.commands = client(connection);
    this.#subscriber = client(connection);
    this.#channel = channel;
    this.#events = events;
    for (const c of [this.commands, this.#subscriber]) {
      c.on('ready', () => this.#maybeUp());
      c.on('close', () => this.#wentDown('connection closed'));
      // Without a listener the client prints errors to the console; the outage is reported once instead.
      c.on('error', (err: Error) => this.#error(err.message));
    }
    this.#subscriber.on('message', (channelName: string, text: string) => {
      if (channelName === this.#channel) this.#events.message(text);
    });
  }

  get up(): boolean {
    return this.#up;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Epoch ms of the last error. */
  get lastErrorAt(): number | undefined {
    return this.#lastErrorAt;
  }

  /** Writes and takes sent and not answered yet. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Connects both clients; resolves once the first resync ran, or after `waitMs` (reconnecting goes on). */
  async start(waitMs: number): Promise<boolean> {
    for (const c of [this.commands, this.#subscriber]) c.connect().catch((err: Error) => this.#error(err.message));
    const deadline = Date.now() + waitMs;
    while (!this.#up && !this.#closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await this.#syncing;
    return this.#up;
  }

  /** Keeps a write's promise until it settles, so `flushed()` and `close()` can wait for it. */
  track(write: Promise<unknown>): void {
    const settled = write.catch(() => undefined).finally(() => this.#inFlight.delete(settled));
    this.#inFlight.add(settled);
  }

  /** Resolves when every write sent so far has been answered (or failed). */
  async flushed(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /**
   * A write or a resync failed while the link looked up: the outage is reported, and a connection that
   * still looks ready is dropped, so that its reconnection runs the resync that sends what failed.
   */
  failed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.#error(message);
    const wasUp = this.#up;
    this.#wentDown(message);
    if (wasUp && !this.#closed && this.commands.status === 'ready') this.commands.disconnect(true);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await Promise.race([this.flushed(), new Promise((r) => setTimeout(r, 1000))]);
      await this.#syncing;
    } finally {
      this.#up = false;
      for (const c of [this.commands, this.#subscriber]) c.disconnect();
    }
  }

  #maybeUp(): void {
    if (this.#up || this.#closed || this.commands.status !== 'ready' || this.#subscriber.status !== 'ready') return;
    this.#up = true;
    this.#syncing = this.#syncing.then(async () => {
      try {
        await this.#subscriber.subscribe(this.#channel);
        await this.#events.up();
      } catch (err) {
        this.failed(err);
      }
    });
  }

  #error(message: string): void {
    this.#lastError = message;
    this.#lastErrorAt = Date.now();
  }

  #wentDown(reason: string): void {
    if (!this.#up || this.#closed) return;
    this.#up = false;
    this.#events.down(reason);
  }
}
