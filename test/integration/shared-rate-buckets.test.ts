/**
 * Issue 16, the shared rate buckets' fail mode on a real redis-server that hangs (SIGSTOP: the
 * connection stays open, nothing answers): a take does not wait past its timeout — it is answered by the
 * replica's local bucket and counted — the next takes do not wait at all while it is overdue, and once
 * the server answers again, takes are shared again.
 * (The server going away altogether is tested with gateway processes in test/e2e/replica-processes.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openReplicatedStores, type ReplicatedStores } from '../../src/store/index.js';
import { RedisServer, redisMissing, redisNotice } from '../helpers/redis-server.js';

const LIMIT = { perMinute: 1, burst: 2 };

describe('shared rate buckets when the server hangs', () => {
  if (redisMissing) {
    redisNotice();
    return;
  }
  const server = new RedisServer();
  let a: ReplicatedStores;
  let b: ReplicatedStores;
  beforeAll(async () => {
    await server.start();
    const open = () => openReplicatedStores({ connection: { host: '127.0.0.1', port: server.port }, keyPrefix: 'hang', tables: [], rateBuckets: { timeoutMs: 200 } });
    [a, b] = [open(), open()];
    expect(await Promise.all([a.start(), b.start()])).toEqual([true, true]);
  });
  afterAll(async () => {
    server.resume();
    await Promise.allSettled([a.close(), b.close()]);
    await server.close();
  });

  test('a take the server does not answer in time goes to the local bucket; afterwards the bucket is shared again', async () => {
    expect(await a.rateBuckets.take('k', LIMIT, Date.now())).toEqual({ admitted: true });
    server.pause();
    const began = Date.now();
    // The local bucket is a bucket of its own, full: it admits although the shared one has one token left.
    const taken = [await a.rateBuckets.take('k', LIMIT, Date.now()), await a.rateBuckets.take('k', LIMIT, Date.now()), await a.rateBuckets.take('k', LIMIT, Date.now())];
    // One timeout (200 ms), not three (600 ms): while the first take is overdue, the next go local at once.
    expect(Date.now() - began).toBeLessThan(550);
    expect(taken.map((t) => t.admitted)).toEqual([true, true, false]);
    expect(a.state().localRateTakes).toBe(3);
    expect(a.state().inFlight).toBeGreaterThanOrEqual(1);

    server.resume();
    await a.flushed();
    // The late take reached the server too (a hung server is slow, not lossy): the shared bucket is empty for both.
    expect(await b.rateBuckets.take('k', LIMIT, Date.now())).toMatchObject({ admitted: false });
    expect(await a.rateBuckets.take('k', LIMIT, Date.now())).toMatchObject({ admitted: false });
    expect(a.state().localRateTakes).toBe(3);
    expect(b.state().localRateTakes).toBe(0);
  });
});
