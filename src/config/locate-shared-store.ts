/**
 * The shared state store of a config, read without the rest of it (issue 16: `watchdog pins` on a
 * `redis://` store). Like `locateDaemon` (locate.ts), only what is needed is read — `gateway.store` and
 * the `gateway.redis` block, each string interpolated on its own — so an upstream's `${VAR}` secrets
 * need not be set; but a variable of the Redis block itself (the password) must be, since the command
 * connects with it: its absence is a ConfigError naming the variable, as at start-up. TLS files are
 * taken relative to the config file's folder, as the gateway takes them (normalise.ts).
 */
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from './errors.js';
import { interpolate, type EnvMap } from './interpolate.js';
import { readConfigDocument } from './locate.js';
import { isRedisUrl, RedisStoreSchema, storeProblem, type RedisStoreConfig } from './store-target.js';

export interface SharedStoreLocation {
  /** The redis:// or rediss:// URL (secrets included: never print it; see displayStoreUrl). */
  url: string;
  options: RedisStoreConfig;
}

/** Every string in `value`, interpolated; problems are collected with their YAML path. */
function interpolated(value: unknown, path: string, env: EnvMap, problems: ConfigProblem[]): unknown {
  if (typeof value === 'string') {
    const result = interpolate(value, env);
    if (result.ok) return result.value;
    problems.push(...result.messages.map((message) => ({ path, message })));
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolated(v, `${path}[${i}]`, env, problems));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolated(v, `${path}.${k}`, env, problems)]));
  return value;
}

/** The shared store of the config at `path`, or undefined when its `gateway.store` is not a Redis URL. */
export function locateSharedStore(path: string, env: EnvMap = process.env): SharedStoreLocation | undefined {
  const doc = readConfigDocument(path);
  const problems: ConfigProblem[] = [];
  const raw = doc.toJS() as { gateway?: { store?: unknown; redis?: unknown } } | null;
  const store = interpolated(raw?.gateway?.store, 'gateway.store', env, problems);
  if (typeof store !== 'string' || !isRedisUrl(store)) return undefined;
  const urlProblem = storeProblem(store);
  if (urlProblem) problems.push({ path: 'gateway.store', message: urlProblem });
  // The replica's own findings file is not the shared store: its variables need not be set here.
  const { localStore: _notNeeded, ...block } = (raw?.gateway?.redis ?? {}) as Record<string, unknown>;
  const parsed = RedisStoreSchema.safeParse(interpolated(block, 'gateway.redis', env, problems));
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => ({ path: ['gateway', 'redis', ...i.path.map(String)].join('.'), message: i.message })));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(path, problems);
  const options = parsed.data;
  const tls = options.tls;
  if (tls) for (const field of ['ca', 'cert', 'key'] as const) if (tls[field] !== undefined) tls[field] = resolve(dirname(resolve(path)), tls[field]);
  return { url: store, options };
}
