// Scenario `flows-redis`: the flow store on SQLite next to Valkey/Redis (issue 16; the detector-level
// figures are the `flows` scenario). The SQLite flow store
// (`SqliteFlowStore`, the gateway's store file) holding 1 million fingerprints (16 hex digits; its bound
// raised from the default 200 000 for the measurement; filled by plain inserts in one transaction, since only the state
// matters and a million `remember` calls would take minutes here), and the Redis-replicated flow store
// (two replicas on a private redis-server, scripts/bench/lib/redis-flows.js) holding 200 000 (the
// default bound: filling and loading 1M through the server takes about two minutes here, too long for
// the suite). Then, interleaved in one run: `remember` of a result's 32 fingerprints and `lookup` of 32
// fingerprints (half stored, half not) on each, and for Redis the time until the second replica sees a
// fingerprint the first remembered. Rows: calls/s from the median, p50/p99 per call, and CPU ms per call
// (for Redis including sending the write until the server answered). Target: lookup p99 ≤ 0.2 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, SqliteFlowStore } from '../../dist/store/index.js';
import { openRedisFlows } from './lib/redis-flows.js';
import { fill, fingerprint } from './lib/flow-fill.js';
import { interleave, percentile, round, timed } from './lib/stats.js';

const TARGET = 1_000_000;
const REDIS_TARGET = 200_000;
const PER_CALL = 32;
const CALLS_PER_STEP = 50;
const PROPAGATIONS_PER_STEP = 10;
const origin = { upstream: 'bench', method: 'tools/call', tool: 'read', session: 's-1' };

const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** The steps of one backend: `remember` (fresh fingerprints) and `lookup` (half stored, half not); CPU per call kept in `cpu`. */
function steps(store, filled, firstFresh, settle = async () => undefined) {
  let next = firstFresh;
  let probe = 0;
  const cpu = { remember: [], lookup: [] };
  const run = async (kind) => {
    const out = [];
    const c0 = process.cpuUsage();
    for (let i = 0; i < CALLS_PER_STEP; i++) {
      if (kind === 'remember') {
        const fps = Array.from({ length: PER_CALL }, (_, k) => fingerprint(next + k));
        next += PER_CALL;
        out.push(await timed(() => store.remember(fps)));
      } else {
        const fps = Array.from({ length: PER_CALL }, (_, k) => fingerprint(k % 2 === 0 ? (probe * 7919 + k) % filled : 100_000_000 + probe * PER_CALL + k));
        probe++;
        out.push(await timed(() => store.lookup(fps)));
      }
    }
    if (kind === 'remember') await settle();
    cpu[kind].push(cpuMs(c0) / CALLS_PER_STEP);
    return out;
  };
  return { run, cpu, fresh: () => fingerprint((next += 1) - 1) };
}

function row(name, list, cpu, baseline) {
  const p50 = percentile(list, 50);
  const p99 = percentile(list, 99);
  return { scenario: 'flows', name, unit: 'calls/s', value: round(1000 / p50, 0), p50: round(p50, 3), p99: round(p99, 3), cpuMs: cpu ? round(percentile(cpu, 50), 3) : null, baseline: baseline ?? null, ratio: baseline ? round(p99 / 0.2, 2) : null, samples: list.length };
}

export async function run({ quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'watchdog-bench-flows-'));
  const db = openDatabase(join(dir, 'watchdog.db'));
  let redis;
  try {
    const store = new SqliteFlowStore(db, { maxEntries: TARGET + 100_000, ttlMs: 24 * 3_600_000 });
    const now = Date.now();
    const filled = quick ? 100_000 : TARGET;
    fill(db, filled, now);
    const sqlite = steps({ remember: (fps) => store.remember(origin, fps, now), lookup: (fps) => store.lookup(fps) }, filled, filled);
    const redisFilled = quick ? 20_000 : REDIS_TARGET;
    redis = await openRedisFlows({ count: redisFilled, fingerprint, origin, now });
    const onRedis = redis.missing ? undefined : steps(redis, redisFilled, 50_000_000, () => redis.flushed());
    const propagation = [];
    const contenders = ['sqlite remember', 'sqlite lookup', ...(onRedis ? ['redis remember', 'redis lookup', 'redis propagate'] : [])];
    const samples = await interleave(contenders, { rounds: quick ? 5 : 40, minRounds: 5, budgetMs: quick ? 3_000 : 20_000 }, async (contender) => {
      const [backend, kind] = contender.split(' ');
      if (kind !== 'propagate') return (backend === 'sqlite' ? sqlite : onRedis).run(kind);
      for (let i = 0; i < PROPAGATIONS_PER_STEP; i++) propagation.push(await redis.propagate(onRedis.fresh()));
      return [];
    });
    const size = `${filled / 1e6}M stored`;
    const redisSize = `${redisFilled / 1000}k stored at its bound`;
    const rows = [
      row(`remember ${PER_CALL} fingerprints, SQLite, ${size}`, samples.get('sqlite remember'), sqlite.cpu.remember),
      row(`lookup ${PER_CALL} fingerprints, SQLite, ${size}`, samples.get('sqlite lookup'), sqlite.cpu.lookup, 'target p99 0.2 ms'),
    ];
    if (!onRedis) return [...rows, { scenario: 'flows', name: redis.missing, unit: '', value: null, p50: null, p99: null, baseline: null, ratio: null }];
    return [
      ...rows,
      row(`remember ${PER_CALL} fingerprints, Redis-replicated, ${redisSize} (CPU incl. sending)`, samples.get('redis remember'), onRedis.cpu.remember),
      row(`lookup ${PER_CALL} fingerprints, Redis-replicated, ${redisSize}`, samples.get('redis lookup'), onRedis.cpu.lookup, 'target p99 0.2 ms'),
      { ...row('propagation to a second replica (remember on A → found on B)', propagation), unit: 'ms', value: round(percentile(propagation, 50), 3) },
      { scenario: 'flows', name: `second replica start-up load of ${redisSize} (fill through remember: ${round(redis.fillMs / 1000, 1)} s)`, unit: 'ms', value: round(redis.loadMs, 0), p50: null, p99: null, baseline: null, ratio: null },
    ];
  } finally {
    try {
      if (redis && !redis.missing) await redis.close();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
