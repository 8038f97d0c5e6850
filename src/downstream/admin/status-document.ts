/**
 * Builds the status document (config/status-schema.ts) from the running parts: the gateway's snapshot, the
 * store's counts and size, and what the composition root knows about the process and its config.
 * The same document answers `/status`, fills the snapshot files of stdio gateways and decides
 * `/readyz`: ready when the config is loaded, the store answers, and every enabled upstream is ready
 * or in backoff (a `connecting` or `failed` upstream is not ready).
 */
import type { ReadyReport, ReplicationStatus, StatusDocument, UpstreamHealthName, UpstreamStatus } from '../../config/index.js';
import { PRODUCT_VERSION, type FindingCounts, type RuleCount } from '../../core/index.js';
import type { Gateway, RateGuardSnapshot } from '../../gateway/index.js';
import type { UpstreamSnapshot } from '../../upstream/index.js';

/** What the store contributes (the composition root adapts the SQLite store to this). */
export interface StatusStore {
  healthy(): boolean;
  counts(): FindingCounts;
  byRule(since: number): RuleCount[];
  stats(): StatusDocument['store'];
}

export interface ProcessFacts {
  mode: 'http' | 'stdio';
  url?: string;
  startedAt: number;
  /** The config as applied now (changes on reload). */
  config(): StatusDocument['config'];
}

/** A catalog item whose changed definition waits for approval (tool pinning, issue 10). */
export interface HeldItem {
  upstream: string;
  kind: string;
  name: string;
}

export interface StatusSources {
  gateway: Gateway;
  store: StatusStore;
  process: ProcessFacts;
  /** Items held for approval; absent: none (a status without a pin store). */
  held?: () => HeldItem[];
  /** Where the shared state lives and how this replica stands (issue 16); absent: not reported. */
  replication?: () => ReplicationStatus;
  now?: () => number;
}

const HOUR_MS = 3_600_000;
const STDERR_IN_ERROR = 5;

export function readiness(sources: Pick<StatusSources, 'gateway' | 'store'>): ReadyReport {
  const upstreams: Record<UpstreamHealthName, number> = { connecting: 0, ready: 0, backoff: 0, failed: 0, disabled: 0 };
  for (const u of sources.gateway.snapshot().upstreams) upstreams[u.state]++;
  const store = sources.store.healthy();
  const ready = store && upstreams.connecting === 0 && upstreams.failed === 0;
  return { ready, checks: { config: true, store, upstreams } };
}

export function statusDocument(sources: StatusSources): StatusDocument {
  const now = (sources.now ?? Date.now)();
  const snapshot = sources.gateway.snapshot();
  const counts = sources.store.counts();
  const lastHour = sources.store.byRule(now - HOUR_MS);
  const { process } = sources;
  const held = sources.held?.() ?? [];
  return {
    schema: 1,
    version: PRODUCT_VERSION,
    pid: globalThis.process.pid,
    mode: process.mode,
    ...(process.url === undefined ? {} : { url: process.url }),
    startedAt: new Date(process.startedAt).toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now - process.startedAt) / 1000)),
    ready: readiness(sources).ready,
    config: process.config(),
    upstreams: snapshot.upstreams.map((u) => ({ ...upstreamStatus(u, snapshot.withheld, held), rateGuard: guardCounts(snapshot.rateGuard, u.name) })),
    catalog: { tools: snapshot.tools, prompts: snapshot.prompts, resources: snapshot.resources },
    sessions: snapshot.sessions,
    findings: {
      total: counts.total,
      lastHour: lastHour.reduce((sum, r) => sum + r.count, 0),
      bySeverity: counts.bySeverity,
      byAction: counts.byAction,
      byRule: { lastHour, total: sources.store.byRule(0) },
    },
    store: sources.store.stats(),
    renames: snapshot.renames,
    collisions: snapshot.renames.filter((r) => r.reason === 'collision').length,
    pins: { awaitingApproval: held.length, items: held },
    ...(sources.replication ? { replication: sources.replication() } : {}),
    rateGuard: { enabled: snapshot.rateGuard.enabled, buckets: snapshot.rateGuard.buckets, refused: snapshot.rateGuard.refused },
  };
}

function guardCounts(guard: RateGuardSnapshot, upstream: string): NonNullable<UpstreamStatus['rateGuard']> {
  const found = guard.upstreams.find((g) => g.upstream === upstream);
  if (!found) return { callsRefused: 0, notificationsDropped: 0, notificationsDelayed: 0, episodesInProgress: 0 };
  const { callsRefused, notificationsDropped, notificationsDelayed, episodesInProgress } = found;
  return { callsRefused, notificationsDropped, notificationsDelayed, episodesInProgress };
}

function upstreamStatus(u: UpstreamSnapshot, withheld: Array<{ upstream: string; kind: string; name: string }>, held: readonly HeldItem[]): UpstreamStatus {
  return {
    name: u.name,
    transport: u.transport,
    state: u.state,
    ...(u.pid === undefined ? {} : { pid: u.pid }),
    ...(u.era === undefined ? {} : { era: u.era }),
    ...(u.upSince === undefined ? {} : { upSince: u.upSince }),
    restarts: u.restarts,
    failedAttempts: u.failedAttempts,
    ...(u.lastError === undefined ? {} : { lastError: { message: u.lastError, at: u.lastErrorAt ?? new Date(0).toISOString(), stderr: u.stderrTail.slice(-STDERR_IN_ERROR) } }),
    stderrTail: u.stderrTail,
    counts: { tools: u.tools, prompts: u.prompts, resources: u.resources, hiddenTaskTools: u.hiddenTaskTools },
    withheld: withheld.filter((w) => w.upstream === u.name).map((w) => ({ kind: w.kind, name: w.name })),
    held: held.filter((h) => h.upstream === u.name).map((h) => ({ kind: h.kind, name: h.name })),
    sessionConnections: u.sessionConnections,
    parkedConnections: u.parkedConnections,
  };
}
