/**
 * `watchdog pins` on the store a config names (issues 10 and 16): the review operations of
 * core/pin-review.ts on the pin store of a SQLite file — opened read-write (decisions are writes) and
 * never created — or of the Valkey/Redis server the replicas share: connected as a client (not
 * announced as a replica), only the pins loaded, and closed once every write was answered, so the
 * decision has reached the server (and, through its change channel, every replica) when the command
 * says it is done.
 */
import { displayStoreUrl, type SharedStoreLocation } from './config/index.js';
import type { PinStore } from './core/index.js';
import { openPinFile } from './store/pin-file.js';
import { StoreUnavailable } from './store/store-reader.js';

export { decide, diffOf, parsePinTarget, pinsOf, summarise } from './core/index.js';
export type { FieldChange, PinDecision, PinDiff, PinSummary, PinTarget } from './core/index.js';
export { StoreUnavailable } from './store/store-reader.js';

/** A SQLite file (its path) or the shared server of `gateway.store: redis://…`. */
export type PinStoreLocation = { sqlite: string } | { redis: SharedStoreLocation };

/** Runs `use` on the pin store of the store file at `storePath` (read-write; never created), then closes it. */
export function withPinFile<T>(storePath: string, use: (pins: PinStore) => T): T {
  const file = openPinFile(storePath);
  try {
    return use(file.pins);
  } finally {
    file.close();
  }
}

/** Runs `use` on the pins of either store; on Valkey/Redis, resolves once its writes are on the server. */
export async function withPinStore<T>(location: PinStoreLocation, use: (pins: PinStore) => T): Promise<T> {
  if ('sqlite' in location) return withPinFile(location.sqlite, use);
  const { url, options } = location.redis;
  const shown = displayStoreUrl(url);
  // Loaded only for a shared store: `watchdog pins` on a file starts without the Valkey client.
  const [{ redisConnectionOf }, { openReplicatedStores }] = await Promise.all([import('./replication.js'), import('./store/redis/index.js')]);
  const stores = openReplicatedStores({ connection: redisConnectionOf(url, options), keyPrefix: options.keyPrefix, tables: ['pins'], replica: false });
  try {
    if (!(await stores.start(options.connectTimeoutMs))) throw new StoreUnavailable(`${shown}: cannot reach the shared state store (${stores.state().lastError ?? 'no answer'})`);
    const result = use(stores.pins);
    await stores.flushed();
    if (stores.state().unsent > 0) throw new StoreUnavailable(`${shown}: the shared state store went away before the change was stored (${stores.state().lastError ?? 'no answer'}); nothing was changed`);
    return result;
  } finally {
    await stores.close();
  }
}
