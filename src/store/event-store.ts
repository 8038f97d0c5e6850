/**
 * Resumable Streamable HTTP (MCP 2025-11-25, "Resumability and Redelivery"): the SDK's transport asks an
 * `EventStore` for an id per SSE event and, when a client reconnects with `Last-Event-ID`, replays
 * what followed on that stream. Decisions:
 * - An event id is `<streamId>_<seq>` with `seq` the row's global sequence zero-padded to 16 digits, so
 *   ids of one stream sort in delivery order and the stream is recovered from the id alone.
 * - Events are scoped per session. The SDK names every session's standalone GET stream `_GET_stream`,
 *   so one shared, unscoped store would replay one session's notifications into another; the gateway
 *   gives each transport `forSession(sessionId)`. The store itself is the scope `''`.
 * - An id that is not stored in this scope (unknown, pruned, or another session's) resolves to no
 *   stream, which the SDK answers with 400 instead of replaying a guess.
 * - The SDK stores an empty priming event (`{}`) per stream before anything else; it is not a JSON-RPC
 *   message and is never replayed, so it is not written (issue 14: every POST is a stream, and its
 *   priming row cost an insert and a commit per call). Its id is `<streamId>_<16 zeros>`, which
 *   sorts before every stored event of the stream; it resolves in the scope that primed the stream
 *   while this process remembers it (`maxPrimedStreams`, newest first, and the age bound) or while
 *   the stream has a stored event, which is when a replay has something to send.
 * - Only what resumption needs (issue 7, item 14): the SSE events of live sessions, each message with
 *   its secrets redacted before it is written (`redact`, injected by the composition root: configured
 *   secrets and the secret shapes of the secrets detector), so a replayed event may carry a placeholder
 *   where the live one carried the value. A session's events are deleted when it ends, and the database
 *   runs with `secure_delete` so deleted events are overwritten, not left in free pages.
 * - Bounded: at most `maxEventsPerStream` per stream and `maxAgeMinutes` (every `pruneEvery` stores and
 *   on open). The stream is trimmed on a store once this process has stored more than the bound on it
 *   (counted in memory per stream, the same `maxPrimedStreams` entries): a POST's stream holds one or
 *   two events and never needs the trim's query. A stream whose count was dropped holds at most twice
 *   the bound until its count passes the bound again. A client reconnects within seconds (the SDK client retries for
 *   well under a minute), so the defaults are small: 100 events, 10 minutes.
 * - Group commit (issue 14): the SDK stores every SSE event (a POST's priming event and its answer)
 *   before writing it, on the request's path. A commit per event cost ~0.45 ms of file writes on the
 *   benchmark machine against ~0.05 ms for the insert itself, so the first store of a tick opens a
 *   transaction and the end of the tick (`setImmediate`) commits everything stored meanwhile. Ids stay
 *   SQLite's row ids, assigned at insert, so several gateways sharing the file never collide. Reads on
 *   this connection see the open transaction; other processes see the events one tick later, and a
 *   crash loses at most that tick, whose sessions (in memory) die with the process anyway. Other stores'
 *   writes in the same tick join the transaction. `flush()` commits now; `close()` flushes.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import { BoundedMap } from './bounded-map.js';
import { redactMessage, type RedactText } from './redact-message.js';

export interface EventStoreOptions {
  /** Newest events kept per stream; default 100. */
  maxEventsPerStream?: number;
  /** Events older than this are deleted; default 10. */
  maxAgeMinutes?: number;
  /** Applied to every string of a message before it is stored; default: none (the root injects the real one). */
  redact?: RedactText;
  /** Streams whose priming id and event count this process remembers; default 10000. */
  maxPrimedStreams?: number;
  /** Age pruning runs after this many stored events; default 100. */
  pruneEvery?: number;
  /** Default `Date.now`. */
  now?: () => number;
  /** Told when a group commit fails (its events are rolled back); default: ignored. */
  onCommitError?: (err: unknown) => void;
}

type Send = (eventId: EventId, message: JSONRPCMessage) => Promise<void>;

const SEQ_DIGITS = 16;

/** `<streamId>_<16-digit seq>`. */
export function formatEventId(streamId: StreamId, seq: number): EventId {
  return `${streamId}_${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

export function parseEventId(eventId: EventId): { streamId: StreamId; seq: number } | undefined {
  const cut = eventId.lastIndexOf('_');
  const tail = eventId.slice(cut + 1);
  if (cut < 1 || tail.length !== SEQ_DIGITS || !/^\d+$/.test(tail)) return undefined;
  return { streamId: eventId.slice(0, cut), seq: Number(tail) };
}

function isJsonRpc(message: unknown): message is JSONRPCMessage {
  return typeof message === 'object' && message !== null && (message as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

export class SqliteEventStore implements EventStore {
  readonly #maxPerStream: number;
  readonly #maxAgeMs: number;
  readonly #pruneEvery: number;
  readonly #now: () => number;
  readonly #redact: RedactText;
  readonly #insert: Statement;
  readonly #trimStream: Statement;
  readonly #pruneAge: Statement;
  readonly #exists: Statement;
  readonly #after: Statement;
  readonly #dropScope: Statement;
  readonly #hasStream: Statement;
  readonly #storeTx: (scope: string, streamId: StreamId, message: JSONRPCMessage) => number;
  /** `<scope>\n<streamId>` → events this process stored on the stream (0: primed only). */
  readonly #streams: BoundedMap<number>;
  readonly #db: SqliteDatabase;
  readonly #onCommitError: (err: unknown) => void;
  #commit: NodeJS.Immediate | undefined;
  #sincePrune = 0;
  #closed = false;

  constructor(db: SqliteDatabase, options: EventStoreOptions = {}) {
    this.#maxPerStream = Math.max(1, options.maxEventsPerStream ?? 100);
    this.#maxAgeMs = (options.maxAgeMinutes ?? 10) * 60_000;
    this.#pruneEvery = Math.max(1, options.pruneEvery ?? 100);
    this.#now = options.now ?? Date.now;
    this.#redact = options.redact ?? ((text) => text);
    this.#db = db;
    this.#onCommitError = options.onCommitError ?? (() => undefined);
    this.#insert = db.prepare('INSERT INTO events (scope, stream_id, time, message) VALUES (?, ?, ?, ?)');
    this.#trimStream = db.prepare(
      `DELETE FROM events WHERE scope = @scope AND stream_id = @stream AND seq <= (
         SELECT seq FROM events WHERE scope = @scope AND stream_id = @stream ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
    );
    this.#pruneAge = db.prepare('DELETE FROM events WHERE time < ?');
    this.#exists = db.prepare('SELECT 1 FROM events WHERE seq = ? AND scope = ? AND stream_id = ?').pluck();
    this.#after = db.prepare('SELECT seq, message FROM events WHERE scope = ? AND stream_id = ? AND seq > ? ORDER BY seq');
    this.#dropScope = db.prepare('DELETE FROM events WHERE scope = ?');
    this.#hasStream = db.prepare('SELECT 1 FROM events WHERE scope = ? AND stream_id = ? LIMIT 1').pluck();
    const now = this.#now;
    this.#streams = new BoundedMap<number>({ maxEntries: Math.max(1, options.maxPrimedStreams ?? 10_000), ttlMs: this.#maxAgeMs, pruneEvery: 1, clock: { now } });
    this.#storeTx = db.transaction((scope: string, streamId: StreamId, message: JSONRPCMessage) => {
      const seq = Number(this.#insert.run(scope, streamId, now(), JSON.stringify(redactMessage(message, this.#redact))).lastInsertRowid);
      const key = `${scope}\n${streamId}`;
      const count = (this.#streams.get(key) ?? 0) + 1;
      this.#streams.set(key, count, now());
      if (count > this.#maxPerStream) this.#trimStream.run({ scope, stream: streamId, keep: this.#maxPerStream });
      return seq;
    });
    this.prune();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('SqliteEventStore is closed');
  }

  #store(scope: string, streamId: StreamId, message: JSONRPCMessage): EventId {
    this.#assertOpen();
    if (!isJsonRpc(message)) {
      // The priming event: remembered, not written (see the module comment).
      const key = `${scope}\n${streamId}`;
      this.#streams.set(key, this.#streams.get(key) ?? 0, this.#now());
      return formatEventId(streamId, 0);
    }
    this.#openGroup();
    const seq = this.#storeTx(scope, streamId, message);
    if (++this.#sincePrune >= this.#pruneEvery) this.prune();
    return formatEventId(streamId, seq);
  }

  /** Opens the tick's transaction unless one is open (this store's, or any other code's on this connection). */
  #openGroup(): void {
    if (this.#commit !== undefined || this.#db.inTransaction) return;
    this.#db.exec('BEGIN');
    this.#commit = setImmediate(() => {
      try {
        this.flush();
      } catch (err) {
        this.#onCommitError(err);
      }
    });
  }

  /** Commits the events stored since the last commit; a failed commit is rolled back and rethrown. */
  flush(): void {
    if (this.#commit === undefined) return;
    clearImmediate(this.#commit);
    this.#commit = undefined;
    if (!this.#db.inTransaction) return;
    try {
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  #streamOf(scope: string, eventId: EventId): { streamId: StreamId; seq: number } | undefined {
    this.#assertOpen();
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const known =
      parsed.seq === 0
        ? this.#streams.get(`${scope}\n${parsed.streamId}`) !== undefined || this.#hasStream.get(scope, parsed.streamId) !== undefined
        : this.#exists.get(parsed.seq, scope, parsed.streamId) !== undefined;
    return known ? parsed : undefined;
  }

  async #replay(scope: string, lastEventId: EventId, send: Send): Promise<StreamId> {
    const found = this.#streamOf(scope, lastEventId);
    if (!found) throw new Error(`unknown event id: ${lastEventId}`);
    // Read everything first: awaiting `send` inside an iterator would keep the statement busy.
    const rows = this.#after.all(scope, found.streamId, found.seq) as Array<{ seq: number; message: string }>;
    for (const row of rows) {
      const message: unknown = JSON.parse(row.message);
      if (isJsonRpc(message)) await send(formatEventId(found.streamId, row.seq), message);
    }
    return found.streamId;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    return this.#store('', streamId, message);
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.#streamOf('', eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: Send }): Promise<StreamId> {
    return this.#replay('', lastEventId, send);
  }

  /** An `EventStore` that sees only one session's events; give one to each session's transport. */
  forSession(sessionId: string): EventStore {
    if (sessionId === '') throw new TypeError('forSession: the session id is empty');
    return {
      storeEvent: async (streamId, message) => this.#store(sessionId, streamId, message),
      getStreamIdForEventId: async (eventId) => this.#streamOf(sessionId, eventId)?.streamId,
      replayEventsAfter: async (lastEventId, { send }) => this.#replay(sessionId, lastEventId, send),
    };
  }

  /** Forgets a closed session's events; returns rows deleted. */
  dropSession(sessionId: string): number {
    this.#assertOpen();
    for (const [key] of this.#streams.newestFirst()) if (key.startsWith(`${sessionId}\n`)) this.#streams.delete(key);
    return this.#dropScope.run(sessionId).changes;
  }

  /** Deletes events past the age bound now; returns rows deleted. */
  prune(): number {
    this.#assertOpen();
    this.#sincePrune = 0;
    return this.#pruneAge.run(this.#now() - this.#maxAgeMs).changes;
  }

  /** Commits what is pending; idempotent; the database handle stays open (its owner closes it). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.flush();
  }
}
