/**
 * Issue 16: a replicated store gathers the writes of one event-loop turn into one script call (building a
 * client command per write cost CPU on the request path). Counted on a real redis-server by its own
 * command statistics: many `remember` calls in one turn are one script call, writes in two turns are two,
 * and a second replica loads every fingerprint written either way. (Outages: the integration test.)
 */
import { Redis } from 'iovalkey';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openReplicatedStores, type ReplicatedStores } from '../../../../src/store/index.js';
import { RedisServer, redisMissing, redisNotice } from '../../../helpers/redis-server.js';

const origin = { upstream: 'files', method: 'tools/call', tool: 'read', session: 's-1' };
const now = Date.now();
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('replicated writes are batched per event-loop turn (redis-server on loopback)', () => {
  if (redisMissing) {
    redisNotice();
    return;
  }
  const server = new RedisServer();
  let admin: Redis;
  const opened: ReplicatedStores[] = [];
  beforeAll(async () => {
    await server.start();
    admin = new Redis({ host: '127.0.0.1', port: server.port });
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    try {
      for (const stores of opened) await stores.close();
      admin.disconnect();
    } finally {
      await server.close();
    }
  });

  async function open(keyPrefix: string): Promise<ReplicatedStores> {
    const stores = openReplicatedStores({ connection: { host: '127.0.0.1', port: server.port }, keyPrefix });
    opened.push(stores);
    expect(await stores.start()).toBe(true);
    return stores;
  }

  /** Script calls the server ran since the last reset (EVALSHA, or EVAL after the cache was lost). */
  async function scriptCalls(): Promise<number> {
    const stats = await admin.info('commandstats');
    return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  test('twenty remember calls in one turn are one script call; two turns are two', async () => {
    const a = await open('batch-a');
    await a.flushed();
    await admin.config('RESETSTAT');
    for (let i = 0; i < 20; i++) a.flows.remember(origin, [`one-turn-${i}`, `one-turn-${i}-b`], now + i);
    await a.flushed();
    expect(await scriptCalls()).toBe(1);

    await admin.config('RESETSTAT');
    a.flows.remember(origin, ['first-turn'], now + 100);
    await turn();
    a.flows.remember(origin, ['second-turn'], now + 101);
    await a.flushed();
    expect(await scriptCalls()).toBe(2);

    const b = await open('batch-a');
    expect(b.flows.size()).toBe(42);
    expect(b.flows.everything()).toEqual(a.flows.everything());
    expect(b.flows.lookup(['one-turn-19-b', 'second-turn']).map((hit) => hit.fingerprint)).toEqual(['second-turn', 'one-turn-19-b']);
  });
});
