// The Redis-replicated flow store for the flows scenario (issue 16): a private redis-server, two replicas
// (`openReplicatedStores`, as two gateways would open them), the first filled with `count` fingerprints
// through `remember` (so the server holds what a running gateway would have sent), the second started
// after the fill (so its start-up load is measured too). The bound is `count`: the stores run at their
// bound, as a gateway's do after a day, so every write also evicts the oldest entry. Steps for the interleaved rounds:
//   remember: replica A remembers 32 fresh fingerprints (the synchronous call on the request path);
//     its CPU figure also counts sending them, until the server answered (`flushed()`);
//   lookup:   replica A looks up 32 fingerprints, half stored (answered from its in-memory twin);
//   propagate: A remembers one fresh fingerprint; the time until B's lookup finds it.
import { openReplicatedStores } from '../../../dist/store/index.js';
import { startRedis } from './redis-server.js';

const FILL_BATCH = 1000;
const PROPAGATION_TIMEOUT_MS = 5000;

/** Milliseconds until `found()` is true, polling once per event-loop turn. */
async function until(found) {
  const t0 = performance.now();
  while (!found()) {
    if (performance.now() - t0 > PROPAGATION_TIMEOUT_MS) throw new Error('flows: a remembered fingerprint did not reach the second replica in 5 s');
    await new Promise((r) => setImmediate(r));
  }
  return performance.now() - t0;
}

/**
 * Opens the server and both replicas; `{ missing }` when redis-server is not installed, else
 * `{ fillMs, loadMs, remember(fps), lookup(fps), propagate(fp), flushed(), close() }`.
 */
export async function openRedisFlows({ count, fingerprint, origin, now }) {
  const server = await startRedis();
  if (!server) return { missing: 'redis-server is not installed (apt-get install -y redis-server): no Redis rows' };
  const options = { connection: { host: '127.0.0.1', port: server.port }, flows: { maxEntries: count, ttlMs: 24 * 3_600_000 } };
  const opened = [];
  const open = async () => {
    const stores = openReplicatedStores(options);
    opened.push(stores);
    if (!(await stores.start(10 * 60_000))) throw new Error(`flows: no connection to redis-server on port ${server.port}`);
    return stores;
  };
  const close = async () => {
    try {
      for (const stores of opened) await stores.close();
    } finally {
      await server.close();
    }
  };
  try {
    const a = await open();
    const t0 = performance.now();
    for (let i = 0; i < count; i += FILL_BATCH) {
      a.flows.remember(origin, Array.from({ length: Math.min(FILL_BATCH, count - i) }, (_, k) => fingerprint(i + k)), now);
      if ((i / FILL_BATCH) % 20 === 19) await a.flushed();
    }
    await a.flushed();
    const fillMs = performance.now() - t0;
    const t1 = performance.now();
    const b = await open();
    const loadMs = performance.now() - t1;
    if (b.flows.size() !== count) throw new Error(`flows: the second replica loaded ${b.flows.size()} of ${count} fingerprints`);
    return {
      fillMs,
      loadMs,
      remember: (fps) => a.flows.remember(origin, fps, now),
      lookup: (fps) => a.flows.lookup(fps),
      flushed: () => a.flushed(),
      propagate: (fp) => {
        a.flows.remember(origin, [fp], now);
        return until(() => b.flows.lookup([fp]).length > 0);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
