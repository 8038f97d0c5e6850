/**
 * What the three replicated stores share (issue 16). A store answers every read from its in-memory
 * twin, synchronously, as the ports require; each write changes the twin at once and is sent to the
 * server without waiting (the hot path never waits for the network). The other replicas apply the
 * change message when it arrives; a replica that starts, or comes back after an outage, reloads the
 * live entries from the server.
 * While the server is away, writes are kept (the latest per entry, at most the table's bound) and
 * sent when it returns; when it returned without its data (a restart without persistence: the epoch
 * marker is gone) the whole twin is sent instead, so the state survives in the replicas. Messages that
 * arrive during a reload wait until it is applied, so an older loaded value never overwrites a newer
 * change.
 */
import type { RedisLink } from './redis-link.js';
import type { RedisTable, TableItem } from './redis-table.js';

/** A change as published: the sender, the table, values set and entries deleted (JSON). */
export interface ChangeMessage {
  r: string;
  t: string;
  set?: unknown[];
  del?: unknown[];
  n?: number;
}

export interface ReplicaContext {
  link: RedisLink;
  /** This replica's id: its own messages are not applied twice. */
  replica: string;
}

export abstract class Replica {
  readonly #ctx: ReplicaContext;
  readonly #table: RedisTable;
  readonly #name: string;
  readonly #maxKept: number;
  /** Writes not yet on the server, by member, oldest first. */
  readonly #kept = new Map<string, TableItem>();
  /** Writes of this event-loop turn, sent together at its end. */
  #pending: TableItem[] = [];
  /** Messages held while a reload is applied; undefined when none runs. */
  #held: ChangeMessage[] | undefined;
  /** Members written here while a reload runs (a reload never removes them). */
  readonly #touched = new Set<string>();

  protected constructor(ctx: ReplicaContext, table: RedisTable, name: string, maxEntries: number) {
    this.#ctx = ctx;
    this.#table = table;
    this.#name = name;
    this.#maxKept = maxEntries;
  }

  get name(): string {
    return this.#name;
  }

  /** Writes not yet on the server (status). */
  get unsent(): number {
    return this.#kept.size;
  }

  protected get link(): RedisLink {
    return this.#ctx.link;
  }

  protected get replica(): string {
    return this.#ctx.replica;
  }

  /**
   * Sends writes already applied to the twin; keeps them for the resync when the server is away. The
   * writes of one event-loop turn are gathered and sent as one script call at its end (`setImmediate`):
   * building a client command per write cost more CPU on the request path than the write itself.
   */
  protected send(items: readonly TableItem[]): void {
    if (items.length === 0) return;
    if (this.#held) for (const [member] of items) this.#touched.add(member);
    if (!this.link.up) {
      this.#keep(items);
      return;
    }
    for (const item of items) {
      this.#kept.delete(item[0]);
      this.#pending.push(item);
    }
    if (this.#pending.length === items.length) this.link.track(new Promise((resolve) => setImmediate(() => resolve(this.#flush()))));
  }

  /** Sends the writes gathered this turn (kept instead when the server went away meanwhile). */
  async #flush(): Promise<void> {
    const items = this.#pending;
    this.#pending = [];
    if (!this.link.up) {
      this.#keep(items);
      return;
    }
    try {
      await this.#table.write(items, (chunk) => this.#message(chunk));
    } catch (err) {
      this.#keep(items);
      this.link.failed(err);
    }
  }

  /** A message from another replica (or its own, ignored). */
  receive(message: ChangeMessage): void {
    if (message.r === this.replica) return;
    if (this.#held) this.#held.push(message);
    else this.apply(message);
  }

  /** Sends what the server lacks (the kept writes, or everything when it lost its data), then reloads. */
  async resync(lostData: boolean): Promise<void> {
    const items = lostData ? this.everything() : [...this.#kept.values()];
    this.#kept.clear();
    try {
      await this.#table.write(items, (chunk) => this.#message(chunk));
    } catch (err) {
      this.#keep(items);
      throw err;
    }
    this.#held = [];
    this.#touched.clear();
    try {
      this.applyLoaded(await this.#table.load(), this.#touched);
    } finally {
      const held = this.#held;
      this.#held = undefined;
      for (const message of held) this.apply(message);
    }
  }

  /** Applies another replica's change to the twin. */
  protected abstract apply(message: ChangeMessage): void;
  /** Applies the server's entries (oldest first) to the twin; `touched` members were written here meanwhile. */
  protected abstract applyLoaded(values: readonly string[], touched: ReadonlySet<string>): void;
  /** The whole twin as items (member, JSON), oldest first: what a full push sends; tests compare replicas by it. */
  abstract everything(): TableItem[];

  #keep(items: readonly TableItem[]): void {
    for (const item of items) {
      this.#kept.delete(item[0]);
      this.#kept.set(item[0], item);
    }
    for (const member of this.#kept.keys()) {
      if (this.#kept.size <= this.#maxKept) break;
      this.#kept.delete(member);
    }
  }

  /** The change message of a chunk, built from the JSON texts already made (nothing is serialised twice). */
  #message(chunk: readonly TableItem[]): string {
    const set = chunk.flatMap(([, value]) => (value === null ? [] : [value]));
    const del = chunk.flatMap(([, value, gone]) => (value === null && gone !== undefined ? [gone] : []));
    return `{"r":${JSON.stringify(this.replica)},"t":${JSON.stringify(this.#name)},"set":[${set.join(',')}],"del":[${del.join(',')}]}`;
  }
}
