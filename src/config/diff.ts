/**
 * What changed between the running config and a reloaded one (issue 13, hot reload), so only what
 * changed is touched: upstreams are compared by name and whole definition (any field — command, env,
 * url, headers, filters, enabled — makes it "changed", and a changed upstream is restarted); policy
 * and naming (prefix, separator) apply to the next message; tokens apply to the next request. The
 * listener, the store and process-wide settings cannot change under a running server: they are listed
 * in `needsRestart` by YAML path, for the log line that says a restart is needed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema.js';

export interface ConfigDiff {
  upstreams: { added: string[]; removed: string[]; changed: string[]; unchanged: string[] };
  policy: boolean;
  /** gateway.prefix or gateway.separator. */
  naming: boolean;
  /** gateway.auth.tokens or adminTokens. */
  tokens: boolean;
  watchConfig: boolean;
  /** YAML paths of settings that only a restart applies. */
  needsRestart: string[];
  /** Whether anything differs at all. */
  any: boolean;
}

/** Settings read once at start-up. */
const RESTART_KEYS = ['http', 'store', 'retention', 'maxBodyBytes', 'shutdownTimeout', 'logLevel'] as const;

export function diffConfig(running: Config, next: Config): ConfigDiff {
  const before = new Map(running.upstreams.map((u) => [u.name, u]));
  const after = new Map(next.upstreams.map((u) => [u.name, u]));
  const upstreams: ConfigDiff['upstreams'] = { added: [], removed: [], changed: [], unchanged: [] };
  for (const [name, u] of after) {
    const old = before.get(name);
    if (!old) upstreams.added.push(name);
    else (isDeepStrictEqual(old, u) ? upstreams.unchanged : upstreams.changed).push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) upstreams.removed.push(name);

  const a = running.gateway;
  const b = next.gateway;
  const needsRestart: string[] = [];
  for (const key of RESTART_KEYS) {
    if (key === 'http') {
      for (const field of Object.keys(b.http) as Array<keyof typeof b.http>) if (!isDeepStrictEqual(a.http[field], b.http[field])) needsRestart.push(`gateway.http.${field}`);
    } else if (!isDeepStrictEqual(a[key], b[key])) needsRestart.push(`gateway.${key}`);
  }
  const diff: ConfigDiff = {
    upstreams,
    policy: !isDeepStrictEqual(running.policy, next.policy),
    naming: a.prefix !== b.prefix || a.separator !== b.separator,
    tokens: !isDeepStrictEqual(a.auth, b.auth),
    watchConfig: a.watchConfig !== b.watchConfig,
    needsRestart,
    any: false,
  };
  diff.any = upstreams.added.length + upstreams.removed.length + upstreams.changed.length > 0 || diff.policy || diff.naming || diff.tokens || diff.watchConfig || needsRestart.length > 0;
  return diff;
}
