/**
 * What changed between the running config and a reloaded one (issue 13, hot reload), so only what
 * changed is touched: upstreams are compared by name and whole definition (any field — command, env,
 * url, headers, filters, enabled — makes it "changed", and a changed upstream is restarted); policy
 * and naming (prefix, separator) apply to the next message; tokens apply to the next request. Flow
 * labels (`labels`, `toolLabels`) and the `flows:` actions (issue 9) change what inspection decides, not
 * the upstream's process: they count as `flows`, not as a changed upstream. The
 * listener, the store and process-wide settings cannot change under a running server: they are listed
 * in `needsRestart` by YAML path, for the log line that says a restart is needed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema.js';

export interface ConfigDiff {
  upstreams: { added: string[]; removed: string[]; changed: string[]; unchanged: string[] };
  policy: boolean;
  /** `flows:` actions or any upstream's flow labels: inspection is rebuilt, no upstream restarts. */
  flows: boolean;
  /** `rateLimits:`, `drift:` or `watch:` (issue 11): limits apply to the next call, drift rebuilds inspection, the watch restarts. */
  guards: boolean;
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
const RESTART_KEYS = ['http', 'store', 'redis', 'retention', 'maxBodyBytes', 'shutdownTimeout', 'logLevel'] as const;
/** `flows:` settings that size the store, read once when it opens. */
const FLOW_STORE_KEYS = ['ttl', 'maxEntries'] as const;

/** An upstream without its flow labels (which change inspection, not the process). */
function processPart(u: Config['upstreams'][number]): object {
  const { labels: _labels, toolLabels: _toolLabels, ...rest } = u;
  return rest;
}

function labelsPart(config: Config): object {
  return config.upstreams.map((u) => [u.name, u.labels, u.toolLabels]);
}

export function diffConfig(running: Config, next: Config): ConfigDiff {
  const before = new Map(running.upstreams.map((u) => [u.name, u]));
  const after = new Map(next.upstreams.map((u) => [u.name, u]));
  const upstreams: ConfigDiff['upstreams'] = { added: [], removed: [], changed: [], unchanged: [] };
  for (const [name, u] of after) {
    const old = before.get(name);
    if (!old) upstreams.added.push(name);
    else (isDeepStrictEqual(processPart(old), processPart(u)) ? upstreams.unchanged : upstreams.changed).push(name);
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
  for (const key of FLOW_STORE_KEYS) if (running.flows[key] !== next.flows[key]) needsRestart.push(`flows.${key}`);
  // The judge and the scorer are built once at start-up (issue 15).
  if (!isDeepStrictEqual(running.detection, next.detection)) needsRestart.push('detection.semantic');
  const { ttl: _t1, maxEntries: _m1, ...flowsBefore } = running.flows;
  const { ttl: _t2, maxEntries: _m2, ...flowsAfter } = next.flows;
  const diff: ConfigDiff = {
    upstreams,
    policy: !isDeepStrictEqual(running.policy, next.policy),
    flows: !isDeepStrictEqual(flowsBefore, flowsAfter) || !isDeepStrictEqual(labelsPart(running), labelsPart(next)),
    guards: !isDeepStrictEqual(running.rateLimits, next.rateLimits) || !isDeepStrictEqual(running.drift, next.drift) || !isDeepStrictEqual(running.watch, next.watch),
    naming: a.prefix !== b.prefix || a.separator !== b.separator,
    tokens: !isDeepStrictEqual(a.auth, b.auth),
    watchConfig: a.watchConfig !== b.watchConfig,
    needsRestart,
    any: false,
  };
  diff.any = upstreams.added.length + upstreams.removed.length + upstreams.changed.length > 0 || diff.policy || diff.flows || diff.guards || diff.naming || diff.tokens || diff.watchConfig || needsRestart.length > 0;
  return diff;
}
