import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SqliteEventStore, formatEventId, openDatabase, parseEventId, type SqliteDatabase } from '../../../src/store/index.js';
import { TOO_DEEP } from '../../../src/store/redact-message.js';

let dir: string;
let db: SqliteDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-events-'));
  db = openDatabase(join(dir, 'watchdog.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function note(n: number): JSONRPCMessage {
  return { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } };
}

async function replay(store: { replayEventsAfter: SqliteEventStore['replayEventsAfter'] }, lastEventId: string) {
  const sent: Array<[string, JSONRPCMessage]> = [];
  const streamId = await store.replayEventsAfter(lastEventId, { send: async (id, message) => void sent.push([id, message]) });
  return { streamId, sent };
}

describe('event ids', () => {
  test('encode the stream id (also one containing "_") and sort in delivery order', () => {
    const id = formatEventId('_GET_stream', 42);
    expect(parseEventId(id)).toEqual({ streamId: '_GET_stream', seq: 42 });
    expect(formatEventId('s', 9) < formatEventId('s', 10)).toBe(true);
    expect(parseEventId('no-sequence')).toBeUndefined();
    expect(parseEventId('s_12')).toBeUndefined();
  });
});

describe('SqliteEventStore', () => {
  test('replay after an id yields exactly the later events of that stream, in order', async () => {
    const store = new SqliteEventStore(db);
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 5; i++) {
      a.push(await store.storeEvent('stream-a', note(i)));
      b.push(await store.storeEvent('stream-b', note(100 + i)));
    }
    expect([...a].sort()).toEqual(a);
    const { streamId, sent } = await replay(store, a[1] ?? '');
    expect(streamId).toBe('stream-a');
    expect(sent).toEqual([
      [a[2], note(2)],
      [a[3], note(3)],
      [a[4], note(4)],
    ]);
    expect(await store.getStreamIdForEventId(b[0] ?? '')).toBe('stream-b');
    expect((await replay(store, b[4] ?? '')).sent).toEqual([]);
  });

  test('the empty priming event keeps its id but is not replayed', async () => {
    const store = new SqliteEventStore(db);
    const priming = await store.storeEvent('s', {} as JSONRPCMessage);
    const first = await store.storeEvent('s', note(1));
    expect(await store.getStreamIdForEventId(priming)).toBe('s');
    expect((await replay(store, priming)).sent).toEqual([[first, note(1)]]);
  });

  test('a priming event writes no row; its id resolves only in the scope that primed the stream (issue 14)', async () => {
    const store = new SqliteEventStore(db);
    const alice = store.forSession('session-alice');
    const bob = store.forSession('session-bob');
    const priming = await alice.storeEvent('post-1', {} as JSONRPCMessage);
    store.flush();
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    expect(db.inTransaction).toBe(false);
    expect(parseEventId(priming)).toEqual({ streamId: 'post-1', seq: 0 });
    expect(await alice.getStreamIdForEventId!(priming)).toBe('post-1');
    expect(await bob.getStreamIdForEventId!(priming)).toBeUndefined();
    expect(await store.getStreamIdForEventId(priming)).toBeUndefined();
    store.dropSession('session-alice');
    expect(await alice.getStreamIdForEventId!(priming)).toBeUndefined();
  });

  test('a forgotten priming id still resolves while its stream has a stored event, and replays it', async () => {
    const store = new SqliteEventStore(db, { maxPrimedStreams: 2 });
    const answered = await store.storeEvent('answered', {} as JSONRPCMessage);
    const answer = await store.storeEvent('answered', note(1));
    const silent = await store.storeEvent('silent', {} as JSONRPCMessage);
    for (let i = 0; i < 3; i++) await store.storeEvent(`other-${i}`, {} as JSONRPCMessage);
    expect(await store.getStreamIdForEventId(silent)).toBeUndefined();
    expect(await store.getStreamIdForEventId(answered)).toBe('answered');
    expect((await replay(store, answered)).sent).toEqual([[answer, note(1)]]);
  });

  test('keeps at most maxEventsPerStream per stream, the newest ones', async () => {
    const store = new SqliteEventStore(db, { maxEventsPerStream: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 35; i++) ids.push(await store.storeEvent('busy', note(i)));
    await store.storeEvent('quiet', note(-1));
    const rows = db.prepare("SELECT count(*) FROM events WHERE stream_id = 'busy'").pluck().get();
    expect(rows).toBe(10);
    expect(await store.getStreamIdForEventId(ids[24] ?? '')).toBeUndefined();
    expect((await replay(store, ids[25] ?? '')).sent.map(([, m]) => (m as unknown as { params: { progress: number } }).params.progress)).toEqual([
      26, 27, 28, 29, 30, 31, 32, 33, 34,
    ]);
    expect(await store.getStreamIdForEventId(ids[0] ?? '')).toBeUndefined();
    expect(db.prepare("SELECT count(*) FROM events WHERE stream_id = 'quiet'").pluck().get()).toBe(1);
  });

  test('events older than maxAgeMinutes are pruned', async () => {
    let now = 1_000_000_000;
    const store = new SqliteEventStore(db, { maxAgeMinutes: 10, pruneEvery: 1, now: () => now });
    const old = await store.storeEvent('s', note(1));
    now += 11 * 60_000;
    const fresh = await store.storeEvent('s', note(2));
    expect(await store.getStreamIdForEventId(old)).toBeUndefined();
    expect(await store.getStreamIdForEventId(fresh)).toBe('s');
  });

  test('an unknown or malformed id resolves to no stream and replay refuses it', async () => {
    const store = new SqliteEventStore(db);
    await store.storeEvent('s', note(1));
    expect(await store.getStreamIdForEventId('s_9999999999999999')).toBeUndefined();
    expect(await store.getStreamIdForEventId('garbage')).toBeUndefined();
    await expect(replay(store, 'garbage')).rejects.toThrow('unknown event id');
  });
});

describe('group commit (issue 14)', () => {
  const committed = (): number => {
    const reader = openDatabase(join(dir, 'watchdog.db'), { readonly: true });
    try {
      return reader.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      reader.close();
    }
  };

  test('events stored in one tick are committed together at the end of the tick', async () => {
    const store = new SqliteEventStore(db);
    const ids = [await store.storeEvent('s', note(1)), await store.storeEvent('s', note(2))];
    expect(db.inTransaction).toBe(true);
    expect(committed()).toBe(0);
    expect(await store.getStreamIdForEventId(ids[1] ?? '')).toBe('s');
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.inTransaction).toBe(false);
    expect(committed()).toBe(2);
  });

  test('close commits what is pending', async () => {
    const store = new SqliteEventStore(db);
    await store.storeEvent('s', note(1));
    store.close();
    expect(db.inTransaction).toBe(false);
    expect(committed()).toBe(1);
  });
});

describe('per-session scopes', () => {
  test("one session cannot replay another session's stream with the same stream id", async () => {
    const store = new SqliteEventStore(db);
    const alice = store.forSession('session-alice');
    const bob = store.forSession('session-bob');
    const aliceFirst = await alice.storeEvent('_GET_stream', note(1));
    await alice.storeEvent('_GET_stream', note(2));
    const bobFirst = await bob.storeEvent('_GET_stream', note(10));
    const bobSecond = await bob.storeEvent('_GET_stream', note(11));
    expect(await bob.getStreamIdForEventId?.(aliceFirst)).toBeUndefined();
    await expect(replay(bob, aliceFirst)).rejects.toThrow('unknown event id');
    expect((await replay(bob, bobFirst)).sent).toEqual([[bobSecond, note(11)]]);
    expect(await store.getStreamIdForEventId(aliceFirst)).toBeUndefined();
  });

  test('dropSession forgets only that session', async () => {
    const store = new SqliteEventStore(db);
    const alice = store.forSession('a');
    const bob = store.forSession('b');
    const aliceId = await alice.storeEvent('s', note(1));
    const bobId = await bob.storeEvent('s', note(2));
    expect(store.dropSession('a')).toBe(1);
    expect(await alice.getStreamIdForEventId?.(aliceId)).toBeUndefined();
    expect(await bob.getStreamIdForEventId?.(bobId)).toBe('s');
  });

  test('close is idempotent and later use fails clearly', async () => {
    const store = new SqliteEventStore(db);
    store.close();
    store.close();
    await expect(store.storeEvent('s', note(1))).rejects.toThrow('SqliteEventStore is closed');
  });
});

describe('what reaches the disk (issue 7, item 14)', () => {
  const SECRET = 'sekrit-value-0123456789';
  const redact = (text: string) => text.split(SECRET).join('[REDACTED:test]');

  test('every string, keys included, is redacted before it is stored; the stored text stays valid JSON', async () => {
    const store = new SqliteEventStore(db, { redact });
    const message = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: `key="${SECRET}"\\` }], [SECRET]: 1 } } as unknown as JSONRPCMessage;
    const first = await store.storeEvent('s', {} as JSONRPCMessage);
    await store.storeEvent('s', message);
    const rows = db.prepare('SELECT message FROM events').pluck().all() as string[];
    expect(rows.join('')).not.toContain(SECRET);
    const [[, replayed]] = (await replay(store, first)).sent as unknown as [[string, { result: Record<string, unknown> }]];
    expect(replayed.result).toEqual({ content: [{ type: 'text', text: 'key="[REDACTED:test]"\\' }], '[REDACTED:test]': 1 });
  });

  test('a subtree deeper than the walk is dropped, not stored unread', async () => {
    const store = new SqliteEventStore(db, { redact });
    let deep: unknown = SECRET;
    for (let i = 0; i < 400; i++) deep = [deep];
    await store.storeEvent('s', { jsonrpc: '2.0', id: 1, result: { deep } } as unknown as JSONRPCMessage);
    const stored = db.prepare('SELECT message FROM events').pluck().get() as string;
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain(TOO_DEEP);
  });

  test('secure_delete: a dropped session leaves none of its bytes in the file', async () => {
    const file = join(dir, 'watchdog.db');
    const marker = 'marker-of-a-deleted-event-7f3a9c';
    const store = new SqliteEventStore(db);
    const session = store.forSession('gone');
    for (let i = 0; i < 50; i++) await session.storeEvent('s', { jsonrpc: '2.0', method: 'notifications/message', params: { data: `${marker} ${i}` } } as JSONRPCMessage);
    store.flush();
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(file).includes(marker)).toBe(true);
    store.dropSession('gone');
    store.flush();
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(readFileSync(file).includes(marker)).toBe(false);
    expect(readFileSync(`${file}-wal`).includes(marker)).toBe(false);
  });
});
