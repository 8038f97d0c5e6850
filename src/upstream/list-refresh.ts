/**
 * Coalesced catalog refreshes for one upstream (issue 7, item 10: 20,000 `list_changed` notifications
 * made 20,000 `tools/list` requests and +244 MB).
 * Contract, per list kind (tools, prompts, resources):
 * - single flight: at most one refresh runs; notifications that arrive while it runs schedule exactly
 *   one more after it, so the catalog always ends up current;
 * - debounce: a refresh starts `debounceMs` after the notification that scheduled it, so a burst costs
 *   one request;
 * - rate limit: two refreshes of one kind start at least `minIntervalMs` apart, whatever the server
 *   sends (at most 1000 / minIntervalMs per second per kind).
 * Notifications that did not cause a refresh of their own are counted as coalesced (shown in the
 * upstream's snapshot) and logged at debug once per refresh, not once each.
 */
import type { Logger } from 'pino';

export type ListKind = 'tools' | 'prompts' | 'resources';

export interface RefreshTiming {
  /** Delay between a first notification and its refresh; default 50 ms. */
  debounceMs: number;
  /** Least time between the starts of two refreshes of one kind; default 250 ms. */
  minIntervalMs: number;
}
export const DEFAULT_REFRESH_TIMING: RefreshTiming = { debounceMs: 50, minIntervalMs: 250 };

export interface RefreshCounters {
  /** list_changed notifications received. */
  received: number;
  /** List requests they caused. */
  refreshes: number;
  /** Notifications folded into a refresh that was already scheduled or running. */
  coalesced: number;
}

interface KindState {
  timer?: NodeJS.Timeout;
  running: boolean;
  again: boolean;
  lastStart: number;
  coalescedSince: number;
}

export class ListRefresher {
  private readonly kinds = new Map<ListKind, KindState>();
  private readonly counters: RefreshCounters = { received: 0, refreshes: 0, coalesced: 0 };
  private generation = 0;
  private closed = false;

  constructor(
    private readonly run: (kind: ListKind) => Promise<void>,
    private readonly log: Logger,
    private readonly timing: RefreshTiming = DEFAULT_REFRESH_TIMING,
  ) {}

  get stats(): RefreshCounters {
    return { ...this.counters };
  }

  /** One list_changed notification of `kind`. */
  notify(kind: ListKind): void {
    if (this.closed) return;
    this.counters.received++;
    const state = this.state(kind);
    if (state.timer || state.running) {
      this.counters.coalesced++;
      state.coalescedSince++;
      if (state.running) state.again = true;
      return;
    }
    this.schedule(kind, state);
  }

  /** Forgets scheduled refreshes (the connection they were for is gone); a running one finishes unseen. */
  reset(): void {
    this.generation++;
    for (const state of this.kinds.values()) clearTimeout(state.timer);
    this.kinds.clear();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private state(kind: ListKind): KindState {
    let state = this.kinds.get(kind);
    if (!state) this.kinds.set(kind, (state = { running: false, again: false, lastStart: -Infinity, coalescedSince: 0 }));
    return state;
  }

  private schedule(kind: ListKind, state: KindState): void {
    const delay = Math.max(this.timing.debounceMs, state.lastStart + this.timing.minIntervalMs - Date.now());
    state.timer = setTimeout(() => void this.fire(kind, state), delay);
    state.timer.unref();
  }

  private async fire(kind: ListKind, state: KindState): Promise<void> {
    const generation = this.generation;
    state.timer = undefined;
    state.running = true;
    state.lastStart = Date.now();
    this.counters.refreshes++;
    if (state.coalescedSince > 0) this.log.debug({ kind, coalesced: state.coalescedSince }, 'list_changed notifications coalesced into one refresh');
    state.coalescedSince = 0;
    try {
      await this.run(kind);
    } catch (err) {
      this.log.warn({ kind, err: err instanceof Error ? err.message : String(err) }, 'list refresh failed');
    } finally {
      state.running = false;
      if (state.again && !this.closed && generation === this.generation) {
        state.again = false;
        this.schedule(kind, state);
      }
    }
  }
}
