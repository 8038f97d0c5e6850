import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, test } from 'vitest';
import { MemoryEventStore, formatEventId, parseEventId } from '../../../src/store/index.js';

function note(n: number): JSONRPCMessage {
  return { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } };
}

async function replay(store: { replayEventsAfter: MemoryEventStore['replayEventsAfter'] }, lastEventId: string) {
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

describe('MemoryEventStore', () => {
  test('replay after an id yields exactly the later events of that stream, in order', async () => {
    const store = new MemoryEventStore();
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
    const store = new MemoryEventStore();
    const priming = await store.storeEvent('s', {} as JSONRPCMessage);
    const first = await store.storeEvent('s', note(1));
    expect(await store.getStreamIdForEventId(priming)).toBe('s');
    expect((await replay(store, priming)).sent).toEqual([[first, note(1)]]);
  });

  test('a priming event is not held; its id resolves only in the scope that primed the stream (issue 14)', async () => {
    const store = new MemoryEventStore();
    const alice = store.forSession('session-alice');
    const bob = store.forSession('session-bob');
    const priming = await alice.storeEvent('post-1', {} as JSONRPCMessage);
    expect(store.size()).toEqual({ events: 0, bytes: 0 });
    expect(parseEventId(priming)).toEqual({ streamId: 'post-1', seq: 0 });
    expect(await alice.getStreamIdForEventId!(priming)).toBe('post-1');
    expect(await bob.getStreamIdForEventId!(priming)).toBeUndefined();
    expect(await store.getStreamIdForEventId(priming)).toBeUndefined();
    store.dropSession('session-alice');
    expect(await alice.getStreamIdForEventId!(priming)).toBeUndefined();
  });

  test('a forgotten priming id still resolves while its stream has a stored event, and replays it', async () => {
    const store = new MemoryEventStore({ maxPrimedStreams: 2 });
    const answered = await store.storeEvent('answered', {} as JSONRPCMessage);
    const answer = await store.storeEvent('answered', note(1));
    const silent = await store.storeEvent('silent', {} as JSONRPCMessage);
    for (let i = 0; i < 3; i++) await store.storeEvent(`other-${i}`, {} as JSONRPCMessage);
    expect(await store.getStreamIdForEventId(silent)).toBeUndefined();
    expect(await store.getStreamIdForEventId(answered)).toBe('answered');
    expect((await replay(store, answered)).sent).toEqual([[answer, note(1)]]);
  });

  test('keeps at most maxEventsPerStream per stream, the newest ones', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 35; i++) ids.push(await store.storeEvent('busy', note(i)));
    await store.storeEvent('quiet', note(-1));
    expect(store.size().events).toBe(11);
    expect(await store.getStreamIdForEventId(ids[24] ?? '')).toBeUndefined();
    expect((await replay(store, ids[25] ?? '')).sent.map(([, m]) => (m as unknown as { params: { progress: number } }).params.progress)).toEqual([
      26, 27, 28, 29, 30, 31, 32, 33, 34,
    ]);
    expect(await store.getStreamIdForEventId(ids[0] ?? '')).toBeUndefined();
    expect((await replay(store, formatEventId('quiet', 0))).sent).toHaveLength(1);
  });

  test('events older than maxAgeMinutes are dropped', async () => {
    let now = 1_000_000_000;
    const store = new MemoryEventStore({ maxAgeMinutes: 10, now: () => now });
    const old = await store.storeEvent('s', note(1));
    now += 11 * 60_000;
    const fresh = await store.storeEvent('s', note(2));
    expect(await store.getStreamIdForEventId(old)).toBeUndefined();
    expect(await store.getStreamIdForEventId(fresh)).toBe('s');
  });

  test('an unknown or malformed id resolves to no stream and replay refuses it', async () => {
    const store = new MemoryEventStore();
    await store.storeEvent('s', note(1));
    expect(await store.getStreamIdForEventId('s_9999999999999999')).toBeUndefined();
    expect(await store.getStreamIdForEventId('garbage')).toBeUndefined();
    await expect(replay(store, 'garbage')).rejects.toThrow('unknown event id');
  });
});

describe('per-session scopes', () => {
  test("one session cannot replay another session's stream with the same stream id", async () => {
    const store = new MemoryEventStore();
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
    const store = new MemoryEventStore();
    const alice = store.forSession('a');
    const bob = store.forSession('b');
    const aliceId = await alice.storeEvent('s', note(1));
    const bobId = await bob.storeEvent('s', note(2));
    expect(store.dropSession('a')).toBe(1);
    expect(await alice.getStreamIdForEventId?.(aliceId)).toBeUndefined();
    expect(await bob.getStreamIdForEventId?.(bobId)).toBe('s');
  });

  test('close is idempotent and later use fails clearly', async () => {
    const store = new MemoryEventStore();
    store.close();
    store.close();
    await expect(store.storeEvent('s', note(1))).rejects.toThrow('MemoryEventStore is closed');
  });
});

describe('the byte bound (issue 14)', () => {
  const sized = (n: number, chars: number): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { n, data: 'x'.repeat(chars) } }) as JSONRPCMessage;

  test('past maxBytes the oldest events of any stream go first; a replay from an evicted id is refused cleanly', async () => {
    const store = new MemoryEventStore({ maxBytes: 10_000 });
    const alice = store.forSession('a');
    const bob = store.forSession('b');
    const a1 = await alice.storeEvent('s', sized(1, 3000));
    const b1 = await bob.storeEvent('s', sized(2, 3000));
    const a2 = await alice.storeEvent('s', sized(3, 3000));
    expect(store.size().events).toBe(3);
    const b2 = await bob.storeEvent('s', sized(4, 3000));
    expect(store.size().events).toBe(3);
    expect(store.size().bytes).toBeLessThanOrEqual(10_000);
    expect(await alice.getStreamIdForEventId!(a1)).toBeUndefined();
    await expect(replay(alice, a1)).rejects.toThrow('unknown event id');
    expect(await bob.getStreamIdForEventId!(b1)).toBe('s');
    expect((await replay(bob, b1)).sent.map(([id]) => id)).toEqual([b2]);
    expect(await alice.getStreamIdForEventId!(a2)).toBe('s');
  });

  test('the bound holds under many streams and sessions; dropping every session frees everything', async () => {
    const store = new MemoryEventStore({ maxBytes: 50_000, maxEventsPerStream: 5 });
    for (let i = 0; i < 3000; i++) {
      const session = store.forSession(`s${i % 40}`);
      await session.storeEvent(`post-${i % 7}`, sized(i, 100 + (i % 300)));
      expect(store.size().bytes).toBeLessThanOrEqual(50_000);
    }
    expect(store.size().events).toBeLessThanOrEqual(40 * 7 * 5);
    for (let i = 0; i < 40; i++) store.dropSession(`s${i}`);
    expect(store.size()).toEqual({ events: 0, bytes: 0 });
  });

  test('events are kept as sent: a replay is the message the client received', async () => {
    const store = new MemoryEventStore();
    const message = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'key="value"\\' }] } } as unknown as JSONRPCMessage;
    const first = await store.storeEvent('s', {} as JSONRPCMessage);
    const id = await store.storeEvent('s', message);
    expect((await replay(store, first)).sent).toEqual([[id, message]]);
  });
});
