/**
 * The Prometheus exporter behind the `Metrics` port (core/ports/metrics.ts): the names the gateway, the
 * audited inspector and the pipeline report land in their Prometheus series, and anything the table
 * does not know — a name, a label, a negative count, a non-finite duration — is dropped, never thrown
 * (the port sits on the hot path).
 */
import { describe, expect, it } from 'vitest';
import { PromMetrics } from '../../../src/downstream/index.js';

describe('PromMetrics as the metrics port', () => {
  it('maps port names to series, milliseconds to seconds', async () => {
    const m = new PromMetrics();
    m.count('requests', { method: 'tools/call', upstream: 'fs', outcome: 'ok' });
    m.count('detector_failures', { detector: 'judge', kind: 'timeout' }, 2);
    m.count('findings', { rule: 'secrets/aws-access-key', severity: 'high', action: 'redact' });
    m.observe('upstream', 1500, { method: 'tools/call', upstream: 'fs' });
    const { body } = await m.text();
    expect(body).toContain('watchdog_requests_total{method="tools/call",upstream="fs",outcome="ok"} 1');
    expect(body).toContain('watchdog_detector_failures_total{detector="judge",kind="timeout"} 2');
    expect(body).toContain('watchdog_findings_total{rule="secrets/aws-access-key",severity="high",action="redact"} 1');
    expect(body).toContain('watchdog_upstream_seconds_sum{method="tools/call",upstream="fs"} 1.5');
  });

  it('drops unknown names, unknown labels, negative counts and non-finite durations without throwing', async () => {
    const m = new PromMetrics();
    expect(() => {
      m.count('no_such_metric', { a: 'b' });
      m.count('requests', { method: 'tools/call', upstream: '', outcome: 'ok', secret: 'x' });
      m.count('requests', { method: 'tools/call', upstream: '', outcome: 'ok' }, -1);
      m.observe('gateway_added', Number.NaN, { method: 'tools/call' });
      m.observe('no_such_histogram', 5);
    }).not.toThrow();
    const { body } = await m.text();
    expect(body).toContain('watchdog_requests_total{method="tools/call",upstream="",outcome="ok"} 1');
    expect(body).not.toContain('secret');
    expect(body).not.toContain('no_such');
    expect(body).not.toMatch(/watchdog_gateway_added_seconds_count\{method="tools\/call"\}/);
  });
});
