/**
 * Port: metrics. Counters and duration observations with string labels; the admin API backs it with
 * Prometheus, tests with a recorder, everything else with `noMetrics`. Calls sit on the hot path, so
 * implementations must be cheap and must never throw.
 */

export type MetricLabels = Readonly<Record<string, string>>;

export interface Metrics {
  /** Adds `n` (default 1) to the counter `name`. */
  count(name: string, labels?: MetricLabels, n?: number): void;
  /** Records one duration in milliseconds. */
  observe(name: string, ms: number, labels?: MetricLabels): void;
}

export const noMetrics: Metrics = {
  count: () => undefined,
  observe: () => undefined,
};
