/**
 * The gateway's port to metrics (issue 13): what happened, counted where it happens; how it is exposed
 * (prom-client's text format on `/metrics`) lives behind it, so the gateway never imports prom-client.
 * Gauges that are a view of current state (upstream states, sessions, store rows) are not pushed here:
 * the exporter reads them when scraped.
 */
import type { Action, Severity } from './findings.js';

/** `blocked`: the policy blocked the request or its result; `error`: a JSON-RPC error was returned. */
export type RequestOutcome = 'ok' | 'error' | 'blocked';

export interface RequestSample {
  method: string;
  /** The upstream that served it; `''` for requests the gateway answers itself (lists). */
  upstream: string;
  outcome: RequestOutcome;
  /** Whole request inside the gateway, milliseconds. */
  totalMs: number;
  /** Part of it spent waiting on the upstream (and, for pushes, on the client), milliseconds. */
  upstreamMs: number;
}

export interface MetricsSink {
  request(sample: RequestSample): void;
  finding(finding: { rule: string; severity: Severity; action: Action }): void;
}

export const NO_METRICS: MetricsSink = { request: () => undefined, finding: () => undefined };
