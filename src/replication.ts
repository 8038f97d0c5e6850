/**
 * The root's side of the shared state store (issue 16): when `gateway.store` is a `redis://` or
 * `rediss://` URL, the pin, flow and baseline ports are the replicated stores on that Valkey/Redis
 * server, built from the config (auth, TLS files read here, key prefix) with the same clock and
 * retention as the SQLite stores. The fail mode is logged and counted, never thrown: an outage is one
 * error line (the URL without its password) and one `watchdog_store_outages_total`, a return one info
 * line. Returns undefined for a SQLite store.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from 'pino';
import { displayStoreUrl, isRedisUrl, redisTarget, type Config, type RedisStoreConfig, type ReplicationStatus } from './config/index.js';
import type { Clock, Metrics } from './core/index.js';
import { openReplicatedStores, type RedisConnection, type ReplicatedStores } from './store/index.js';

function tlsOptions(tls: RedisStoreConfig['tls'], host: string): ConnectionOptions {
  const file = (path: string | undefined) => (path === undefined ? {} : { buffer: readFileSync(path) });
  const ca = file(tls?.ca);
  const cert = file(tls?.cert);
  const key = file(tls?.key);
  return {
    servername: tls?.servername ?? host,
    rejectUnauthorized: tls?.rejectUnauthorized ?? true,
    ...('buffer' in ca ? { ca: ca.buffer } : {}),
    ...('buffer' in cert ? { cert: cert.buffer } : {}),
    ...('buffer' in key ? { key: key.buffer } : {}),
  };
}

/** What iovalkey needs, from the URL and the `gateway.redis` block (which wins for the user and password). */
export function redisConnectionOf(store: string, redis: Partial<RedisStoreConfig> = {}): RedisConnection {
  const target = redisTarget(store, redis);
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: tlsOptions(redis.tls, target.host) } : {}),
    connectTimeoutMs: redis.connectTimeoutMs ?? 5000,
  };
}

export interface ReplicationDeps {
  clock: Clock;
  log: Logger;
  metrics: () => Metrics;
  /** The bound of the local rate buckets the shared ones fall back to (the config in force). */
  maxBuckets: () => number;
  /** The digest of the config file in force, announced to the other replicas. */
  configHash: () => string | undefined;
}

export function openReplication(config: Config, deps: ReplicationDeps): ReplicatedStores | undefined {
  const { store, redis } = config.gateway;
  if (store === undefined || !isRedisUrl(store)) return undefined;
  const shown = displayStoreUrl(store);
  const log = deps.log.child({ store: shown });
  return openReplicatedStores({
    connection: redisConnectionOf(store, redis),
    keyPrefix: redis?.keyPrefix ?? 'watchdog',
    pins: { clock: deps.clock },
    flows: { clock: deps.clock },
    baselines: { clock: deps.clock },
    rateBuckets: { maxBuckets: deps.maxBuckets },
    configHash: deps.configHash,
    events: {
      // Config files are per replica: a digest that differs is reported, never applied here.
      configChanged: (peer, previous) => {
        const own = deps.configHash();
        const facts = { replica: peer.id, host: peer.host, pid: peer.pid, configHash: peer.configHash, previous, own };
        if (peer.configHash === own) log.info(facts, 'another replica runs the same config as this one');
        else log.warn(facts, 'another replica announced a config digest that differs from this one: compare the replicas\' config files');
      },
      down: (reason) => {
        deps.metrics().count('store_outages');
        log.error({ reason }, 'shared state store unreachable: serving from this replica\'s local copy and rate buckets; its changes are sent when the store returns');
      },
      up: ({ lostData, ms }) => log.info({ lostData, ms }, lostData ? 'shared state store back without its data: refilled from this replica' : 'shared state store connected and in sync'),
    },
  });
}

/** Connects at start; a store that does not answer in time is an error line, and the replica starts on its local copy. */
export async function startReplication(replication: ReplicatedStores | undefined, config: Config, log: Logger): Promise<void> {
  if (!replication) return;
  const waitMs = config.gateway.redis?.connectTimeoutMs ?? 5000;
  if (await replication.start(waitMs)) return;
  log.error(
    { store: displayStoreUrl(config.gateway.store ?? ''), reason: replication.state().lastError ?? 'timeout' },
    'shared state store unreachable at start: serving from an empty local copy and retrying',
  );
}

/** The `replication` block of `/status`: the SQLite file, or this replica's standing with the others on Valkey/Redis. */
export function replicationStatus(replication: ReplicatedStores | undefined, config: Config, sqlitePath: string): ReplicationStatus {
  if (!replication) return { kind: 'sqlite', store: sqlitePath, state: 'local' };
  const s = replication.state();
  const replicas = replication.replicas().map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  return {
    kind: 'redis',
    store: displayStoreUrl(config.gateway.store ?? ''),
    state: s.inSync ? 'in-sync' : s.connected ? 'syncing' : 'fallback',
    replica: replication.replica,
    pending: { unsent: s.unsent, inFlight: s.inFlight },
    localRateTakes: s.localRateTakes,
    ...(s.roundTripMs === undefined ? {} : { roundTripMs: s.roundTripMs }),
    ...(s.lastError === undefined ? {} : { lastError: { message: s.lastError, at: new Date(s.lastErrorAt ?? 0).toISOString() } }),
    replicas,
    configAgrees: new Set(replicas.map((r) => r.configHash ?? '')).size <= 1,
  };
}
