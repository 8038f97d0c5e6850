/**
 * Retention bounds shared by the state stores (pins, flows, baselines) and their in-memory twins:
 * at most `maxEntries` entries, none older than `ttlMs`. The defaults live with each store.
 */
import type { Clock } from '../core/index.js';

export interface RetentionOptions {
  /** Entries kept; the least recently written go first. */
  maxEntries?: number;
  /** An entry not written for this long reads as absent and is deleted at the next prune. */
  ttlMs?: number;
  /** SQLite only: retention runs after this many writes (and on open); default 1000. */
  pruneEvery?: number;
  /** Default the system clock. */
  clock?: Clock;
}

export interface Retention {
  maxEntries: number;
  ttlMs: number;
  pruneEvery: number;
  clock: Clock;
}

export function retention(options: RetentionOptions, defaults: { maxEntries: number; ttlMs: number }, clock: Clock): Retention {
  return {
    maxEntries: Math.max(1, Math.trunc(options.maxEntries ?? defaults.maxEntries)),
    ttlMs: Math.max(1, options.ttlMs ?? defaults.ttlMs),
    pruneEvery: Math.max(1, Math.trunc(options.pruneEvery ?? 1000)),
    clock: options.clock ?? clock,
  };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
