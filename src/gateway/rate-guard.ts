/**
 * Rate guards (issue 11): token buckets (core/token-bucket.ts) on tool calls per principal × upstream
 * × tool, and on upstream notifications per upstream × kind. Real throttling, not only alerts: a call
 * over its limit is refused with WDG_RATE_LIMITED saying how many seconds to wait (nothing reaches the
 * upstream); a notification over its limit is dropped (log messages, resources/updated) or delayed
 * (list_changed, which the gateway folds into one catch-up broadcast so clients end up current).
 * Limits are read from the config in force on every call, so a reload applies at once.
 * Call buckets live behind the `RateBuckets` port (issue 16): in this process by default, or on the
 * replicas' shared Valkey/Redis server, so N calls per window hold across replicas. Notification
 * buckets always stay here: each replica has its own upstream connections, so a flood is per replica.
 * Each run of refusals of one bucket (an episode: from its first refusal until it admits again) is
 * reported once through `onEpisode`, which records a finding: a flood costs one audit row, not one per
 * refused event (per replica, for a shared bucket). Buckets are bounded (`maxBuckets`, least recently
 * used dropped; a dropped bucket starts full again, which only ever favours the caller).
 */
import type { RateLimitsConfig } from '../config/schema.js';
import type { GuardFinding } from './audit.js';
import { type BucketLimit, type Clock, globMatches, LocalRateBuckets, type RateBuckets, type RateTake, WatchdogError } from '../core/index.js';

export type NotificationKind = keyof RateLimitsConfig['notifications'];

const NOTIFICATION_KINDS: ReadonlyMap<string, NotificationKind> = new Map([
  ['notifications/tools/list_changed', 'listChanged'],
  ['notifications/prompts/list_changed', 'listChanged'],
  ['notifications/resources/list_changed', 'listChanged'],
  ['notifications/resources/updated', 'resourceUpdates'],
  ['notifications/message', 'logMessages'],
]);

/** Which notification bucket a method counts against; undefined for methods that are not guarded. */
export function notificationKind(method: string): NotificationKind | undefined {
  return NOTIFICATION_KINDS.get(method);
}

/** The start of a run of refusals, for the audit log. */
export interface GuardEpisode {
  rule: 'rate-guard/call-burst' | 'rate-guard/notification-flood';
  upstream: string;
  method: string;
  tool?: string;
  principal?: string;
  session?: string;
  reason: string;
}

/** One upstream's rate-guard counts since start (issue 11: `/status` and `watchdog status`). */
export interface UpstreamGuardCounts {
  upstream: string;
  /** Tool calls refused with WDG_RATE_LIMITED. */
  callsRefused: number;
  /** Log messages and resources/updated notifications dropped. */
  notificationsDropped: number;
  /** list_changed notifications delayed (folded into one catch-up). */
  notificationsDelayed: number;
  /** Runs of refusals still under way: refused last time and the wait then given has not run out. */
  episodesInProgress: number;
}

export interface RateGuardSnapshot {
  /** `rateLimits.enabled` in the config in force. */
  enabled: boolean;
  buckets: number;
  /** Events refused or dropped since start. */
  refused: { calls: number; notifications: number };
  /** Per upstream, those that had a refusal since start (sorted by name). */
  upstreams: UpstreamGuardCounts[];
}

/** A bucket in a run of refusals: its upstream, refusals so far, and when the last wait runs out. */
interface Episode {
  upstream: string;
  refused: number;
  until: number;
}

type Counted = 'callsRefused' | 'notificationsDropped' | 'notificationsDelayed';

export class RateGuard {
  readonly #notes: LocalRateBuckets;
  readonly #calls: RateBuckets;
  /** Buckets in a run of refusals (least recently refused first). */
  readonly #refusing = new Map<string, Episode>();
  readonly #refused = { calls: 0, notifications: 0 };
  /** Per upstream; bounded by the number of upstreams ever configured (names, not clients). */
  readonly #byUpstream = new Map<string, Record<Counted, number>>();

  /** `calls`: where call buckets live; default this process's memory. */
  constructor(
    private readonly limits: () => RateLimitsConfig,
    private readonly clock: Clock,
    private readonly onEpisode: (episode: GuardEpisode) => void,
    calls?: RateBuckets,
  ) {
    this.#notes = new LocalRateBuckets(() => this.limits().maxBuckets);
    this.#calls = calls ?? new LocalRateBuckets(() => this.limits().maxBuckets);
  }

  /** Admits one tool call or throws WDG_RATE_LIMITED with the time to wait. `tool` is the public name. */
  async admitCall(who: { principal: string; session?: string }, upstream: string, tool: string): Promise<void> {
    const config = this.limits();
    if (!config.enabled) return;
    const limit = callLimit(config, tool);
    const key = `call\0${who.principal}\0${upstream}\0${tool}`;
    const wait = this.#episode(key, upstream, await this.#calls.take(key, limit, this.clock.now()), config.maxBuckets, () => ({
      rule: 'rate-guard/call-burst',
      upstream,
      method: 'tools/call',
      tool,
      principal: who.principal,
      ...(who.session === undefined ? {} : { session: who.session }),
      reason: `calls to ${tool} over ${describe(limit)} for ${who.principal}; refused until the rate drops`,
    }));
    if (wait === 0) return;
    this.#refused.calls++;
    this.#count(upstream, 'callsRefused');
    const seconds = Math.ceil(wait / 1000);
    throw new WatchdogError('WDG_RATE_LIMITED', { what: `calls to ${tool}`, limit: describe(limit), seconds }, { retryAfterMs: wait, retryAfterSeconds: seconds, tool, upstream });
  }

  /** 0 when the notification may go out, else the milliseconds until it could. */
  admitNotification(upstream: string, kind: NotificationKind, method: string): number {
    const config = this.limits();
    if (!config.enabled) return 0;
    const limit = config.notifications[kind];
    const key = `note\0${upstream}\0${kind}`;
    const wait = this.#episode(key, upstream, this.#notes.takeNow(key, limit, this.clock.now()), config.maxBuckets, () => ({
      rule: 'rate-guard/notification-flood',
      upstream,
      method,
      reason: `upstream "${upstream}" sent ${method} over ${describe(limit)}; ${kind === 'listChanged' ? 'delayed' : 'dropped'} until the rate drops`,
    }));
    if (wait > 0) {
      this.#refused.notifications++;
      this.#count(upstream, kind === 'listChanged' ? 'notificationsDelayed' : 'notificationsDropped');
    }
    return wait;
  }

  /** Whether an upstream notification of `method` may go out (methods without a bucket always may). */
  admitsNotification(upstream: string, method: string): boolean {
    const kind = notificationKind(method);
    return kind === undefined || this.admitNotification(upstream, kind, method) === 0;
  }

  snapshot(): RateGuardSnapshot {
    const now = this.clock.now();
    const open = new Map<string, number>();
    for (const e of this.#refusing.values()) if (e.until > now) open.set(e.upstream, (open.get(e.upstream) ?? 0) + 1);
    const names = [...new Set([...this.#byUpstream.keys(), ...open.keys()])].sort();
    const upstreams = names.map((upstream) => ({ upstream, ...(this.#byUpstream.get(upstream) ?? zeroCounts()), episodesInProgress: open.get(upstream) ?? 0 }));
    return { enabled: this.limits().enabled, buckets: this.#notes.size() + this.#calls.size(), refused: { ...this.#refused }, upstreams };
  }

  #count(upstream: string, what: Counted): void {
    const counts = this.#byUpstream.get(upstream) ?? zeroCounts();
    counts[what]++;
    this.#byUpstream.set(upstream, counts);
  }

  /** The wait (0: admitted); the first refusal of a run reports the episode. */
  #episode(key: string, upstream: string, taken: RateTake, maxBuckets: number, episode: () => GuardEpisode): number {
    if (taken.admitted) {
      this.#refusing.delete(key);
      return 0;
    }
    const refused = this.#refusing.get(key)?.refused ?? 0;
    this.#refusing.delete(key);
    this.#refusing.set(key, { upstream, refused: refused + 1, until: this.clock.now() + taken.retryAfterMs });
    while (this.#refusing.size > maxBuckets) this.#refusing.delete(this.#refusing.keys().next().value as string);
    if (refused === 0) this.onEpisode(episode());
    return taken.retryAfterMs;
  }
}

function zeroCounts(): Record<Counted, number> {
  return { callsRefused: 0, notificationsDropped: 0, notificationsDelayed: 0 };
}

function callLimit(config: RateLimitsConfig, tool: string): BucketLimit {
  for (const [glob, limit] of Object.entries(config.tools)) if (globMatches(glob, tool)) return limit;
  return config.calls;
}

function describe(limit: BucketLimit): string {
  return `${limit.perMinute}/min, burst ${limit.burst}`;
}

/**
 * list_changed under the guard, per upstream: `changed` runs the rebuild at once when a token is free;
 * otherwise one catch-up runs when one will be, and changes arriving meanwhile fold into it.
 */
export class ListChangedGate {
  readonly #deferred = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(
    private readonly guard: RateGuard,
    private readonly rebuild: () => void,
  ) {}

  changed(upstream: string): void {
    if (this.#closed || this.#deferred.has(upstream)) return;
    const wait = this.guard.admitNotification(upstream, 'listChanged', 'notifications/tools/list_changed');
    if (wait === 0) return this.rebuild();
    const timer = setTimeout(() => {
      this.#deferred.delete(upstream);
      this.changed(upstream);
    }, wait);
    timer.unref();
    this.#deferred.set(upstream, timer);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#deferred.values()) clearTimeout(timer);
    this.#deferred.clear();
  }
}

/** The audit-log finding for the start of an episode (audit.ts `reportFinding`). */
export function episodeFinding(episode: GuardEpisode): GuardFinding {
  const { rule, upstream, method, tool, principal, session, reason } = episode;
  const direction = rule === 'rate-guard/call-burst' ? 'to_upstream' : 'to_client';
  return { rule, severity: 'medium', action: 'block', upstream, method, direction, path: '', match: '', reason, ...(tool && { tool }), ...(principal && { principal }), ...(session && { session }) };
}
