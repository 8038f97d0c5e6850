/**
 * Resumable Streamable HTTP (MCP 2025-11-25, "Resumability and Redelivery"): the SDK's transport asks an
 * `EventStore` for an id per SSE event and, when a client reconnects with `Last-Event-ID`, replays
 * what followed on that stream. The events live in this process's memory (issue 14): a 2025-11-25
 * session lives in the process that opened it (`LegacySessions`; another process or replica answers its
 * id with 404) and ends with it, so no event can be replayed after the process ends, and a file bought
 * nothing but a write and a commit of ~4 WAL pages per call. Decisions:
 * - An event id is `<streamId>_<seq>` with `seq` this process's event counter zero-padded to 16 digits,
 *   so ids of one stream sort in delivery order and the stream is recovered from the id alone.
 * - Events are scoped per session. The SDK names every session's standalone GET stream `_GET_stream`,
 *   so one shared, unscoped store would replay one session's notifications into another; the gateway
 *   gives each transport `forSession(sessionId)`. The store itself is the scope `''`.
 * - An id that is not held in this scope (unknown, evicted, or another session's) resolves to no
 *   stream, which the SDK answers with 400 instead of replaying a guess; the client starts a new stream.
 * - The SDK stores an empty priming event (`{}`) per stream first; it is never replayed, so it is not
 *   kept. Its id `<streamId>_<16 zeros>` resolves while this process remembers the stream
 *   (`maxPrimedStreams`, newest first, and the age bound) or while the stream holds an event.
 * - Bounded: `maxEventsPerStream` per stream, `maxAgeMinutes`, and `maxBytes` of serialised JSON over all
 *   streams (counted in UTF-16 units); past any bound the oldest events go first. A session's events are
 *   dropped when it ends. Events are kept as the client received them (not redacted): they never leave
 *   the process's memory, where the live message was too, and only its own session can replay them.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import { BoundedMap } from './bounded-map.js';

export interface EventStoreOptions {
  /** Newest events kept per stream; default 100. */
  maxEventsPerStream?: number;
  /** Events older than this are dropped; default 10. */
  maxAgeMinutes?: number;
  /** Serialised JSON (UTF-16 units) kept over all streams, oldest dropped first; default 32 MiB. */
  maxBytes?: number;
  /** Streams whose priming id this process remembers; default 10000. */
  maxPrimedStreams?: number;
  /** Default `Date.now`. */
  now?: () => number;
}

type Send = (eventId: EventId, message: JSONRPCMessage) => Promise<void>;

interface StoredEvent {
  readonly seq: number;
  readonly time: number;
  readonly text: string;
  readonly stream: StreamLog;
  dropped: boolean;
}

interface StreamLog {
  readonly key: string;
  readonly scope: string;
  readonly events: StoredEvent[];
}

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

export class MemoryEventStore implements EventStore {
  readonly #maxPerStream: number;
  readonly #maxAgeMs: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  /** `<scope>\n<streamId>` → the stream's held events, oldest first. */
  readonly #streams = new Map<string, StreamLog>();
  /** scope → its streams holding events, so a session's end touches only its own. */
  readonly #byScope = new Map<string, Set<StreamLog>>();
  /** Every held event in store order (= age order); dropped ones are skipped, the head compacted. */
  #order: StoredEvent[] = [];
  #head = 0;
  /** `<scope>\n<streamId>` of primed streams. */
  readonly #primed: BoundedMap<true>;
  #seq = 0;
  #bytes = 0;
  #count = 0;
  #closed = false;

  constructor(options: EventStoreOptions = {}) {
    this.#maxPerStream = Math.max(1, options.maxEventsPerStream ?? 100);
    this.#maxAgeMs = (options.maxAgeMinutes ?? 10) * 60_000;
    this.#maxBytes = Math.max(1, options.maxBytes ?? 32 * 1024 * 1024);
    this.#now = options.now ?? Date.now;
    const now = this.#now;
    this.#primed = new BoundedMap<true>({ maxEntries: Math.max(1, options.maxPrimedStreams ?? 10_000), ttlMs: this.#maxAgeMs, pruneEvery: 1, clock: { now } });
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('MemoryEventStore is closed');
  }

  #store(scope: string, streamId: StreamId, message: JSONRPCMessage): EventId {
    this.#assertOpen();
    const key = `${scope}\n${streamId}`;
    const now = this.#now();
    if (!isJsonRpc(message)) {
      // The priming event: remembered, not kept (see the module comment).
      this.#primed.set(key, true, now);
      return formatEventId(streamId, 0);
    }
    let stream = this.#streams.get(key);
    if (!stream) {
      this.#streams.set(key, (stream = { key, scope, events: [] }));
      let streams = this.#byScope.get(scope);
      if (!streams) this.#byScope.set(scope, (streams = new Set()));
      streams.add(stream);
    }
    const event: StoredEvent = { seq: ++this.#seq, time: now, text: JSON.stringify(message), stream, dropped: false };
    stream.events.push(event);
    this.#order.push(event);
    this.#bytes += event.text.length;
    this.#count++;
    while (stream.events.length > this.#maxPerStream) this.#drop(stream.events[0] as StoredEvent);
    this.#evict(now);
    return formatEventId(streamId, event.seq);
  }

  /** Forgets one held event (it is its stream's oldest, or the whole stream goes). */
  #drop(event: StoredEvent): void {
    if (event.dropped) return;
    event.dropped = true;
    this.#bytes -= event.text.length;
    this.#count--;
    const { events } = event.stream;
    if (events[0] === event) events.shift();
    else events.splice(events.indexOf(event), 1);
    if (events.length > 0) return;
    this.#streams.delete(event.stream.key);
    const streams = this.#byScope.get(event.stream.scope);
    streams?.delete(event.stream);
    if (streams?.size === 0) this.#byScope.delete(event.stream.scope);
  }

  /** Drops the oldest events past the age or byte bound, then compacts the order's dropped head. */
  #evict(now: number): void {
    const cutoff = now - this.#maxAgeMs;
    while (this.#head < this.#order.length) {
      const oldest = this.#order[this.#head] as StoredEvent;
      if (!oldest.dropped && oldest.time >= cutoff && this.#bytes <= this.#maxBytes) break;
      this.#drop(oldest);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
  }

  #streamOf(scope: string, eventId: EventId): { streamId: StreamId; seq: number; stream: StreamLog | undefined } | undefined {
    this.#assertOpen();
    this.#evict(this.#now());
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const key = `${scope}\n${parsed.streamId}`;
    const stream = this.#streams.get(key);
    const known = parsed.seq === 0 ? stream !== undefined || this.#primed.get(key) !== undefined : stream?.events.some((e) => e.seq === parsed.seq) === true;
    return known ? { ...parsed, stream } : undefined;
  }

  async #replay(scope: string, lastEventId: EventId, send: Send): Promise<StreamId> {
    const found = this.#streamOf(scope, lastEventId);
    if (!found) throw new Error(`unknown event id: ${lastEventId}`);
    // A copy: sending awaits, and the stream may take or drop events meanwhile.
    const later = (found.stream?.events ?? []).filter((e) => e.seq > found.seq);
    for (const event of later) await send(formatEventId(found.streamId, event.seq), JSON.parse(event.text) as JSONRPCMessage);
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

  /** Forgets a closed session's events; returns how many were held. */
  dropSession(sessionId: string): number {
    this.#assertOpen();
    const prefix = `${sessionId}\n`;
    for (const [key] of this.#primed.newestFirst()) if (key.startsWith(prefix)) this.#primed.delete(key);
    let dropped = 0;
    for (const stream of [...(this.#byScope.get(sessionId) ?? [])]) {
      for (const event of [...stream.events]) {
        this.#drop(event);
        dropped++;
      }
    }
    return dropped;
  }

  /** Events held now, and their serialised size (UTF-16 units). */
  size(): { events: number; bytes: number } {
    return { events: this.#count, bytes: this.#bytes };
  }

  /** Drops every event; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#streams.clear();
    this.#byScope.clear();
    this.#order = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#count = 0;
  }
}
