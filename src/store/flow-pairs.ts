/**
 * What both flow stores (SQLite and the in-memory twin) agree on: their default bounds, the canonical
 * form of an origin and the lookup limit (issue 9). Its own module so the SQLite store can build on the
 * twin without an import cycle.
 */
import type { FlowLookup, FlowOrigin } from '../core/index.js';
import { HOUR_MS } from './retention.js';

/** Default bounds of the flow stores: 200000 pairs, 24 hours. */
export const FLOW_DEFAULTS = { maxEntries: 200_000, ttlMs: 24 * HOUR_MS };

/** Both implementations: an empty tool, session or principal is none; labels are sorted and unique, none is absent. */
export function flowOrigin(origin: FlowOrigin): FlowOrigin {
  const labels = [...new Set(origin.labels ?? [])].filter((l) => l !== '').sort();
  return {
    upstream: origin.upstream,
    method: origin.method,
    ...(origin.tool ? { tool: origin.tool } : {}),
    ...(origin.session ? { session: origin.session } : {}),
    ...(origin.principal ? { principal: origin.principal } : {}),
    ...(labels.length > 0 ? { labels } : {}),
  };
}

export function lookupLimit(options: FlowLookup): number {
  return Math.min(Math.max(1, Math.trunc(options.limit ?? 100)), 10_000);
}

