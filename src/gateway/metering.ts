/**
 * Per-request measurement for metrics (issue 13): dispatch opens a meter for each downstream request,
 * relay adds the time spent on the upstream, a policy block marks it, and dispatch closes it into the
 * metrics port — so the gateway's own share of the latency (total minus upstream) is visible apart from
 * the upstream's. Meters are keyed by the request's context object, which dispatch, relay and the
 * handlers share; a WeakMap drops them with the request even if one is never closed.
 * What it reports through the port: `requests` {method, upstream, outcome} counted once per request;
 * `gateway_added` {method} and `upstream` {method, upstream} observed in milliseconds. `upstream` is
 * `''` for requests the gateway answers itself (lists), and then no upstream time is observed.
 */
import { performance } from 'node:perf_hooks';
import { noMetrics, WatchdogError, type Metrics } from '../core/index.js';

/** `blocked`: the policy blocked the request or its result; `error`: a JSON-RPC error was returned. */
export type RequestOutcome = 'ok' | 'error' | 'blocked';

interface Meter {
  started: number;
  upstream: string;
  upstreamMs: number;
  blocked: boolean;
}

export class RequestMeters {
  private readonly open = new WeakMap<object, Meter>();

  constructor(private readonly metrics: Metrics = noMetrics) {}

  begin(ctx: object): void {
    this.open.set(ctx, { started: performance.now(), upstream: '', upstreamMs: 0, blocked: false });
  }

  /** Times one upstream call of the request. */
  async upstream<T>(ctx: object, upstream: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      const meter = this.open.get(ctx);
      if (meter) {
        meter.upstream = upstream;
        meter.upstreamMs += performance.now() - started;
      }
    }
  }

  blocked(ctx: object): void {
    const meter = this.open.get(ctx);
    if (meter) meter.blocked = true;
  }

  end(ctx: object, method: string, error?: unknown): void {
    const meter = this.open.get(ctx);
    if (!meter) return;
    this.open.delete(ctx);
    const totalMs = performance.now() - meter.started;
    const upstreamMs = Math.min(meter.upstreamMs, totalMs);
    this.metrics.count('requests', { method, upstream: meter.upstream, outcome: outcomeOf(meter, error) });
    this.metrics.observe('gateway_added', totalMs - upstreamMs, { method });
    if (meter.upstream !== '') this.metrics.observe('upstream', upstreamMs, { method, upstream: meter.upstream });
  }
}

function outcomeOf(meter: Meter, error: unknown): RequestOutcome {
  if (meter.blocked || (error instanceof WatchdogError && error.code === 'WDG_BLOCKED')) return 'blocked';
  return error === undefined ? 'ok' : 'error';
}
