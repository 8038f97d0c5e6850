/**
 * What one upstream reports about itself (`Upstream.snapshot()`), for `watchdog status`, `/status`,
 * `/readyz` and the metrics (issue 13).
 */
import type { RefreshCounters } from './list-refresh.js';
import type { Era } from './connect.js';

/**
 * The state `watchdog status`, `/status` and `/readyz` report (issue 13): `connecting` (the first
 * attempt), `ready`, `backoff` (failed or lost; waiting to retry, or retrying), `failed` (every attempt
 * for over a minute has failed: still retried every `maxMs`, but no longer counted as recovering),
 * `disabled` (in config). A closed upstream reports `disabled`: it no longer serves.
 */
export type UpstreamHealth = 'connecting' | 'ready' | 'backoff' | 'failed' | 'disabled';
/** `failed` once the attempts of one failing streak span this long (and at least three were made). */
export const FAILED_AFTER_MS = 60_000;

export interface UpstreamSnapshot {
  name: string;
  state: UpstreamHealth;
  transport: 'stdio' | 'http';
  pid?: number;
  restarts: number;
  /** Redacted; with `lastErrorAt` (ISO time). Cleared when the upstream is ready again. */
  lastError?: string;
  lastErrorAt?: string;
  /** Connection attempts that failed in a row (0 once ready). */
  failedAttempts: number;
  upSince?: string;
  tools: number;
  prompts: number;
  resources: number;
  /** Tools listed only as tasks, which the gateway does not expose (catalog-slice.ts). */
  hiddenTaskTools: number;
  era?: Era;
  sessionConnections: number;
  parkedConnections: number;
  /** The last lines the upstream's processes wrote to stderr, redacted (at most 20 lines, 4 KB). */
  stderrTail: string[];
  /** list_changed notifications received, the refreshes they caused and how many were coalesced. */
  listChanged: RefreshCounters;
}

