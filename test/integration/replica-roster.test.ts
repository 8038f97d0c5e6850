/**
 * Issue 16: replicas on one real redis-server know of each other and of the config digest each runs
 * (store/redis/replica-roster.ts): a replica that starts finds those already there and is found by them
 * at once; a new digest announced after a reload reaches the others at once, with the one it replaces;
 * a replica that closes is gone from the others' view at once; one that stops announcing (a crash)
 * is dropped after three heartbeats; `watchdog pins`-style clients (`replica: false`) are never listed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openReplicatedStores, type ReplicatedStores } from '../../src/store/index.js';
import { waitFor } from '../helpers/gateway.js';
import { RedisServer, redisMissing, redisNotice } from '../helpers/redis-server.js';

describe('the replica roster on Valkey/Redis', () => {
  if (redisMissing) {
    redisNotice();
    return;
  }
  const server = new RedisServer();
  const open: ReplicatedStores[] = [];
  beforeAll(() => server.start());
  afterAll(async () => {
    await Promise.allSettled(open.map((s) => s.close()));
    await server.close();
  });

  function replica(hash: { value: string }, changed: Array<[string | undefined, string | undefined]> = [], options: { replica?: boolean; heartbeatMs?: number } = {}): ReplicatedStores {
    const stores = openReplicatedStores({
      connection: { host: '127.0.0.1', port: server.port },
      keyPrefix: 'roster',
      tables: [],
      heartbeatMs: options.heartbeatMs ?? 200,
      configHash: () => hash.value,
      events: { configChanged: (peer, previous) => changed.push([peer.configHash, previous]) },
      ...(options.replica === undefined ? {} : { replica: options.replica }),
    });
    open.push(stores);
    return stores;
  }
  const ids = (s: ReplicatedStores) => s.replicas().map((r) => r.id);

  test('started replicas find each other; a reload is announced at once; a close is seen at once; a crash after three heartbeats', async () => {
    const hashA = { value: 'aaaa' };
    const seenByA: Array<[string | undefined, string | undefined]> = [];
    const a = replica(hashA, seenByA);
    expect(await a.start()).toBe(true);
    const hashB = { value: 'aaaa' };
    const b = replica(hashB);
    expect(await b.start()).toBe(true);
    expect(ids(b)).toEqual([b.replica, a.replica]);
    await waitFor(() => (ids(a).length === 2 ? true : undefined), 1000, 'a to hear of b');
    expect(a.replicas().map((r) => [r.self, r.configHash, r.pid])).toEqual([[true, 'aaaa', process.pid], [false, 'aaaa', process.pid]]);

    const client = replica({ value: 'cccc' }, [], { replica: false });
    expect(await client.start()).toBe(true);

    hashB.value = 'bbbb';
    const announced = Date.now();
    await b.announce();
    await waitFor(() => (a.replicas()[1]?.configHash === 'bbbb' ? true : undefined), 1000, 'the new digest on a');
    expect(Date.now() - announced).toBeLessThan(500);
    expect(seenByA).toEqual([['aaaa', undefined], ['bbbb', 'aaaa']]);
    expect(ids(a)).toHaveLength(2);

    await b.close();
    await waitFor(() => (ids(a).length === 1 ? true : undefined), 1000, 'b gone from a');

    // A crash: announcements stop without a farewell (here: a replica whose heartbeat is an hour). The
    // others drop it after three of their own heartbeats; a replica starting later never lists it.
    const silent = replica({ value: 'aaaa' }, [], { heartbeatMs: 3_600_000 });
    expect(await silent.start()).toBe(true);
    await waitFor(() => (ids(a).includes(silent.replica) ? true : undefined), 1000, 'the silent one on a');
    const heard = Date.now();
    await waitFor(() => (ids(a).includes(silent.replica) ? undefined : true), 3000, 'the silent one dropped by a');
    expect(Date.now() - heard).toBeGreaterThanOrEqual(500);
    const c = replica({ value: 'aaaa' });
    expect(await c.start()).toBe(true);
    expect(ids(c)).toEqual([c.replica, a.replica]);
  });
});
