/**
 * `/metrics` (issue 13): Prometheus text from prom-client, in a registry of its own (never the
 * library's global one: two gateways in one process, as in the tests, must not share counters).
 * Counted as it happens (the MetricsSink port the gateway and the inspector call): requests by method,
 * upstream and outcome; latency split into the part the gateway adds and the part spent on the
 * upstream; findings by rule, severity and action. Read when scraped: upstream state and restarts,
 * sessions, store rows and size. Labels come from config (upstream names), the served method list
 * and the detectors' rule ids — never from free text a client sends — so their number is bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { UPSTREAM_HEALTH, type MetricsSink, type RequestSample, type Severity, type Action } from '../../core/index.js';
import type { GatewaySnapshot } from '../../gateway/index.js';

/** What the exporter reads at scrape time. */
export interface MetricsViews {
  gateway(): Pick<GatewaySnapshot, 'upstreams' | 'sessions'>;
  store(): { bytes: number; rows: { findings: number; events: number } };
}

const GATEWAY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const UPSTREAM_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class PromMetrics implements MetricsSink {
  readonly registry = new Registry();
  private views?: MetricsViews;
  private readonly requests: Counter<'method' | 'upstream' | 'outcome'>;
  private readonly gatewayAdded: Histogram<'method'>;
  private readonly upstreamTime: Histogram<'method' | 'upstream'>;
  private readonly findings: Counter<'rule' | 'severity' | 'action'>;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'watchdog_requests_total', help: 'Downstream requests by method, upstream ("" when the gateway answers itself) and outcome (ok, error, blocked)', labelNames: ['method', 'upstream', 'outcome'], registers });
    this.gatewayAdded = new Histogram({ name: 'watchdog_gateway_added_seconds', help: 'Time a request spends in the gateway itself (total minus upstream): routing, inspection, relaying', labelNames: ['method'], buckets: GATEWAY_BUCKETS, registers });
    this.upstreamTime = new Histogram({ name: 'watchdog_upstream_seconds', help: 'Time a request waits on its upstream', labelNames: ['method', 'upstream'], buckets: UPSTREAM_BUCKETS, registers });
    this.findings = new Counter({ name: 'watchdog_findings_total', help: 'Findings by rule, severity and the action taken', labelNames: ['rule', 'severity', 'action'], registers });
    this.scrapedGauges(registers);
    collectDefaultMetrics({ register: this.registry, prefix: 'watchdog_process_' });
  }

  /** The gateway and store exist after the sink (the gateway takes the sink): attached once built. */
  attach(views: MetricsViews): void {
    this.views = views;
  }

  request(sample: RequestSample): void {
    this.requests.inc({ method: sample.method, upstream: sample.upstream, outcome: sample.outcome });
    this.gatewayAdded.observe({ method: sample.method }, Math.max(0, sample.totalMs - sample.upstreamMs) / 1000);
    if (sample.upstream !== '') this.upstreamTime.observe({ method: sample.method, upstream: sample.upstream }, sample.upstreamMs / 1000);
  }

  finding(finding: { rule: string; severity: Severity; action: Action }): void {
    this.findings.inc({ rule: finding.rule, severity: finding.severity, action: finding.action });
  }

  /** The Prometheus text exposition and its content type. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private scrapedGauges(registers: Registry[]): void {
    const self = this;
    new Gauge({
      name: 'watchdog_upstream_state', help: 'Upstream state: 1 for the state it is in, 0 for the others', labelNames: ['upstream', 'state'], registers,
      collect() {
        this.reset();
        for (const u of self.views?.gateway().upstreams ?? []) for (const state of UPSTREAM_HEALTH) this.set({ upstream: u.name, state }, u.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'watchdog_upstream_restarts', help: 'Restarts of the upstream since the gateway started (or since its definition last changed)', labelNames: ['upstream'], registers,
      collect() {
        this.reset();
        for (const u of self.views?.gateway().upstreams ?? []) this.set({ upstream: u.name }, u.restarts);
      },
    });
    new Gauge({
      name: 'watchdog_sessions', help: 'Open downstream sessions by transport and protocol era', labelNames: ['transport', 'era'], registers,
      collect() {
        this.reset();
        for (const s of self.views?.gateway().sessions ?? []) this.set({ transport: s.transport, era: s.era }, s.count);
      },
    });
    new Gauge({
      name: 'watchdog_store_rows', help: 'Rows in the SQLite store by table', labelNames: ['table'], registers,
      collect() {
        const rows = self.views?.store().rows;
        if (rows) for (const [table, n] of Object.entries(rows)) this.set({ table }, n);
      },
    });
    new Gauge({
      name: 'watchdog_store_bytes', help: 'Size of the SQLite store on disk (file and write-ahead log)', registers,
      collect() {
        const store = self.views?.store();
        if (store) this.set(store.bytes);
      },
    });
  }
}
