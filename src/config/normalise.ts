/**
 * From a schema-valid config to the runtime form the gateway uses: relative paths (`cwd`,
 * `gateway.store` (or, when it is a Redis URL, `gateway.redis.localStore` and its TLS files), `scope` folders and `watch.files`, which may also start with `~`, and `./`/`../` values of a stdio upstream's `command`, `args` and `env`, see
 * config-paths.ts) are resolved against the config file's folder, so behaviour does not depend on the
 * directory the gateway was started from; a config without `gateway.store` gets the default store in
 * the user's state folder (state-dir.ts); the result is deep-frozen so no component can change
 * configuration after start-up. Rules that span fields live here rather than in the schema because
 * they need the file's folder or produce warnings: a non-loopback bind without tokens is an error
 * (issue 2: "refuses to bind a non-loopback address unless gateway.auth.tokens is set"), and so is a
 * token listed both as a client and an admin token (issue 13: the two must open different doors); disabled
 * upstreams and prefix collisions are warnings returned as data.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { formatPath } from '../core/index.js';
import type { ConfigProblem, ConfigWarning } from './errors.js';
import { isStdio, type Config } from './schema.js';
import { resolveConfigPath } from './config-paths.js';
import { storePathOf, type StateDirOptions } from './state-dir.js';
import { isRedisUrl, RedisStoreSchema } from './store-target.js';

/** Finds the line/column of a YAML path; returns nothing when the config did not come from a file. */
export type Locate = (path: readonly PropertyKey[]) => { line?: number; column?: number };

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

function problem(locate: Locate, path: readonly PropertyKey[], message: string): ConfigProblem {
  return { path: formatPath(path), ...locate(path), message };
}

/** Errors that need more than one field; run only on a schema-valid config. */
export function crossFieldProblems(config: Config, locate: Locate): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { host } = config.gateway.http;
  const { tokens, adminTokens } = config.gateway.auth;
  if (!isLoopbackHost(host) && tokens.length === 0) problems.push(problem(locate, ['gateway', 'http', 'host'], `binding ${host} requires gateway.auth.tokens`));
  // A token that opens both the MCP endpoint and the admin API would make the separation meaningless.
  // The value itself is never printed: only its position.
  const clientTokens = new Set(tokens);
  adminTokens.forEach((token, i) => {
    if (clientTokens.has(token)) problems.push(problem(locate, ['gateway', 'auth', 'adminTokens'], `adminTokens entry ${i + 1} is also a client token; admin and client tokens must differ`));
  });
  return problems;
}

export function configWarnings(config: Config, locate: Locate): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const { host } = config.gateway.http;
  if (!isLoopbackHost(host) && config.gateway.auth.adminTokens.length === 0) {
    warnings.push(problem(locate, ['gateway', 'http', 'host'], `binding ${host} without gateway.auth.adminTokens: /status, /metrics and /findings are closed; /healthz and /readyz answer without details`));
  }
  if (config.gateway.redis && !isRedisUrl(config.gateway.store)) {
    warnings.push(problem(locate, ['gateway', 'redis'], 'gateway.redis is ignored: gateway.store is not a redis:// or rediss:// URL'));
  }
  const prefixes = new Map<string, number>();
  config.upstreams.forEach((upstream, i) => {
    if (!upstream.enabled) {
      warnings.push(problem(locate, ['upstreams', i, 'enabled'], `upstream "${upstream.name}" is disabled`));
      return;
    }
    if (config.gateway.prefix === 'never') return;
    const prefix = upstream.prefix ?? upstream.name;
    const first = prefixes.get(prefix);
    if (first === undefined) {
      prefixes.set(prefix, i);
      return;
    }
    const path = upstream.prefix === undefined ? ['upstreams', i, 'name'] : ['upstreams', i, 'prefix'];
    warnings.push(problem(locate, path, `prefix "${prefix}" is also used by upstreams[${first}]; their tool names may collide`));
  });
  return warnings;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The frozen runtime form. The input is cloned first: zod hands out its `.default()` objects by
 * reference, and freezing those would freeze the schema's own defaults.
 */
export function normaliseConfig(parsed: Config, baseDir: string, stateDir: StateDirOptions = {}): Config {
  const config = structuredClone(parsed);
  // A Redis URL stays as written; the SQLite file (the store, or the replica's local one) becomes absolute.
  const store = storePathOf(config.gateway, stateDir);
  const file = store === ':memory:' ? store : resolve(baseDir, store);
  if (isRedisUrl(config.gateway.store)) config.gateway.redis = { ...RedisStoreSchema.parse({}), ...config.gateway.redis, localStore: file };
  else config.gateway.store = file;
  const tls = config.gateway.redis?.tls;
  if (tls) for (const field of ['ca', 'cert', 'key'] as const) if (tls[field] !== undefined) tls[field] = resolve(baseDir, tls[field]);
  const home = stateDir.home ?? homedir();
  // A scope folder or watched file: `~` is the home folder, a relative one is relative to the config file (like `cwd`).
  const place = (path: string) => resolve(baseDir, path === '~' ? home : path.replace(/^~(?=[/\\])/, home));
  if (config.watch.files) config.watch.files = config.watch.files.map(place);
  for (const upstream of config.upstreams) {
    if (upstream.scope) upstream.scope = upstream.scope.map(place);
    if (!isStdio(upstream)) continue;
    upstream.cwd = resolve(baseDir, upstream.cwd ?? '.');
    upstream.command = resolveConfigPath(upstream.command, baseDir);
    upstream.args = upstream.args.map((arg) => resolveConfigPath(arg, baseDir));
    // fromEntries defines own properties, so even a key named `__proto__` stays a plain entry.
    upstream.env = Object.fromEntries(Object.entries(upstream.env).map(([name, value]) => [name, resolveConfigPath(value, baseDir)]));
  }
  return deepFreeze(config);
}
