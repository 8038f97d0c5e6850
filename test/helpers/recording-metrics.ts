/** A `Metrics` that remembers every count, for assertions. */
import type { MetricLabels, Metrics } from '../../src/core/index.js';

export class RecordingMetrics implements Metrics {
  readonly counts: Array<{ name: string; labels: MetricLabels; n: number }> = [];
  readonly observations: Array<{ name: string; ms: number; labels: MetricLabels }> = [];
  count(name: string, labels: MetricLabels = {}, n = 1): void {
    this.counts.push({ name, labels, n });
  }
  observe(name: string, ms: number, labels: MetricLabels = {}): void {
    this.observations.push({ name, ms, labels });
  }
}
