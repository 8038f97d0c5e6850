/**
 * Runs each store port's contract suite against every implementation: SQLite (a real file, through the
 * one database `openDatabase` opens and migrates), the in-memory twin, and the replicated store on a
 * real `redis-server` (issue 16) — the LLM judge's verdict cache (issue 15) has no replicated one.
 * The Redis backend: each test gets a fresh key prefix on one server. The suites' test bodies are
 * synchronous, so their writes reach the replica before its connection is up — they are kept and sent
 * at the first resync, as after an outage. When the test is done, `close` waits for that resync, opens
 * a second replica on the same prefix, which loads from the server, and requires it to hold exactly what
 * the first holds (every entry, in write order, and the decision counter): what the suite proved of the
 * first replica is then true of the state on the server. Live replication between replicas is tested in
 * test/integration/replicated-stores.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { LocalRateBuckets, type RateBuckets } from '../../src/core/index.js';
import {
  MemoryBaselineStore, MemoryFlowStore, MemoryPinStore, MemoryVerdictStore, openDatabase, openReplicatedStores, SqliteBaselineStore, SqliteFlowStore, SqlitePinStore,
  SqliteVerdictStore,
  type ReplicatedStores, type RetentionOptions, type SqliteDatabase,
} from '../../src/store/index.js';
import { RedisServer, redisMissing, redisNotice } from '../helpers/redis-server.js';
import { baselineStoreContract } from './baseline-store.contract.js';
import { flowStoreContract } from './flow-store.contract.js';
import { pinStoreContract } from './pin-store.contract.js';
import { verdictStoreContract } from './verdict-store.contract.js';
import { rateBucketsContract } from './rate-buckets.contract.js';
import type { Built } from './store-harness.js';

function sqlite<S>(build: (db: SqliteDatabase, options: RetentionOptions) => S): (options: RetentionOptions) => Built<S> {
  return (options) => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-contract-'));
    const db = openDatabase(join(dir, 'watchdog.db'));
    return {
      store: build(db, options),
      close: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

function memory<S>(build: (options: RetentionOptions) => S): (options: RetentionOptions) => Built<S> {
  return (options) => ({ store: build(options), close: () => undefined });
}

pinStoreContract('SQLite', sqlite((db, o) => new SqlitePinStore(db, o)));
pinStoreContract('memory', memory((o) => new MemoryPinStore(o)));
flowStoreContract('SQLite', sqlite((db, o) => new SqliteFlowStore(db, o)));
flowStoreContract('memory', memory((o) => new MemoryFlowStore(o)));
baselineStoreContract('SQLite', sqlite((db, o) => new SqliteBaselineStore(db, o)));
baselineStoreContract('memory', memory((o) => new MemoryBaselineStore(o)));
// The verdict cache has no Redis implementation: each replica keeps its own in SQLite (README "Scaling out").
verdictStoreContract('SQLite', sqlite((db, o) => new SqliteVerdictStore(db, o)));
verdictStoreContract('memory', memory((o) => new MemoryVerdictStore(o)));
rateBucketsContract('memory', () => ({ store: new LocalRateBuckets(() => 100), close: () => undefined }));

type Kind = 'pins' | 'flows' | 'baselines';

describe('Redis backend (redis-server on loopback)', () => {
  if (redisMissing) {
    redisNotice();
    return;
  }
  const server = new RedisServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());
  let prefixes = 0;

  function redis<K extends Kind>(kind: K): (options: RetentionOptions) => Built<ReplicatedStores[K]> {
    return (options) => {
      const prefix = `contract-${kind}-${++prefixes}`;
      const open = () => openReplicatedStores({ connection: { host: '127.0.0.1', port: server.port }, keyPrefix: prefix, [kind]: options });
      const first = open();
      const started = first.start();
      return {
        store: first[kind],
        close: async () => {
          const second = open();
          try {
            expect(await started).toBe(true);
            await first.flushed();
            expect(await second.start()).toBe(true);
            expect(second[kind].everything()).toEqual(first[kind].everything());
            expect(second[kind].size()).toBe(first[kind].size());
            if (kind === 'pins') expect(second.pins.decisions()).toBe(first.pins.decisions());
          } finally {
            await Promise.all([first.close(), second.close()]);
          }
        },
      };
    };
  }

  /** Two replicas on one prefix, taking in turn: the contract then holds of the bucket they share. */
  function sharedBuckets(): Built<RateBuckets> {
    const prefix = `contract-rate-${++prefixes}`;
    const replicas = [0, 1].map(() => openReplicatedStores({ connection: { host: '127.0.0.1', port: server.port }, keyPrefix: prefix }));
    const started = Promise.all(replicas.map((r) => r.start()));
    let turn = 0;
    return {
      store: {
        take: async (key, limit, now) => {
          expect(await started).toEqual([true, true]);
          return (replicas[turn++ % 2] as ReplicatedStores).rateBuckets.take(key, limit, now);
        },
        size: () => 0,
      },
      close: async () => {
        expect(replicas.map((r) => r.state().localRateTakes)).toEqual([0, 0]);
        await Promise.all(replicas.map((r) => r.close()));
      },
    };
  }

  pinStoreContract('Redis', redis('pins'));
  rateBucketsContract('Redis, two replicas', sharedBuckets);
  flowStoreContract('Redis', redis('flows'));
  baselineStoreContract('Redis', redis('baselines'));
});
