/**
 * `/metrics` (issue 13): Prometheus text from prom-client, in a registry of its own (never the
 * library's global one: two gateways in one process, as in the tests, must not share counters).
 * Counted as it happens, through the `Metrics` port (core/ports) that the gateway, the audited
 * inspector and the pipeline call: `requests` {method, upstream, outcome}, `gateway_added` and
 * `upstream` latencies (ms; the part the gateway adds apart from the part spent on the upstream),
 * `findings` {rule, severity, action}, `detector_failures` {detector, kind}, `store_outages` (the shared
 * Valkey/Redis store became unreachable, issue 16). A name or label this table
 * does not know is dropped, never thrown: the port is on the hot path. Read when scraped: upstream state
 * and restarts, sessions, store rows and size. Labels come from config (upstream names), the served
 * method list and the detectors' ids — never from free text a client sends — so their number is bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { UPSTREAM_HEALTH } from '../../config/index.js';
import type { MetricLabels, Metrics } from '../../core/index.js';
import type { GatewaySnapshot } from '../../gateway/index.js';

/** What the exporter reads at scrape time. */
export interface MetricsViews {
  gateway(): Pick<GatewaySnapshot, 'upstreams' | 'sessions'>;
  store(): { bytes: number; rows: { findings: number; events: number } };
}

const GATEWAY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const UPSTREAM_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Known<T> {
  metric: T;
  labels: readonly string[];
}

/** Only the labels the metric was declared with (prom-client throws on any other). */
function pick(labels: MetricLabels, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (Object.hasOwn(labels, name)) out[name] = String(labels[name]);
  return out;
}

/** Requests of one upstream by outcome, since the process started. */
export interface UpstreamCalls {
  upstream: string;
  ok: number;
  error: number;
  blocked: number;
}

export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private views?: MetricsViews;
  private readonly counters = new Map<string, Known<Counter>>();
  private readonly histograms = new Map<string, Known<Histogram>>();

  constructor() {
    const registers = [this.registry];
    const counter = (port: string, name: string, help: string, labelNames: string[]) =>
      this.counters.set(port, { metric: new Counter({ name, help, labelNames, registers }), labels: labelNames });
    const histogram = (port: string, name: string, help: string, labelNames: string[], buckets: number[]) =>
      this.histograms.set(port, { metric: new Histogram({ name, help, labelNames, buckets, registers }), labels: labelNames });
    counter('requests', 'watchdog_requests_total', 'Downstream requests by method, upstream ("" when the gateway answers itself) and outcome (ok, error, blocked)', ['method', 'upstream', 'outcome']);
    histogram('gateway_added', 'watchdog_gateway_added_seconds', 'Time a request spends in the gateway itself (total minus upstream): routing, inspection, relaying', ['method'], GATEWAY_BUCKETS);
    histogram('upstream', 'watchdog_upstream_seconds', 'Time a request waits on its upstream', ['method', 'upstream'], UPSTREAM_BUCKETS);
    counter('findings', 'watchdog_findings_total', 'Findings by rule, severity and the action taken', ['rule', 'severity', 'action']);
    counter('store_outages', 'watchdog_store_outages_total', 'Times the shared Valkey/Redis state store became unreachable (gateway.store redis://; the replica served from its local copy meanwhile)', []);
    counter('detector_failures', 'watchdog_detector_failures_total', 'Detector failures by detector and kind (error, timeout, observe-error, observe-timeout)', ['detector', 'kind']);
    this.scrapedGauges(registers);
    collectDefaultMetrics({ register: this.registry, prefix: 'watchdog_process_' });
  }

  /** The gateway and store exist after the metrics (the gateway takes them): attached once built. */
  attach(views: MetricsViews): void {
    this.views = views;
  }

  count(name: string, labels: MetricLabels = {}, n = 1): void {
    const known = this.counters.get(name);
    if (!known || !(n >= 0)) return;
    known.metric.inc(pick(labels, known.labels), n);
  }

  observe(name: string, ms: number, labels: MetricLabels = {}): void {
    const known = this.histograms.get(name);
    if (!known || !Number.isFinite(ms)) return;
    known.metric.observe(pick(labels, known.labels), Math.max(0, ms) / 1000);
  }

  /** `watchdog_requests_total` summed per upstream and outcome (the console's chart; `""` is the gateway itself). */
  async callsByUpstream(): Promise<UpstreamCalls[]> {
    const known = this.counters.get('requests');
    if (!known) return [];
    const sums = new Map<string, UpstreamCalls>();
    for (const { labels, value } of (await known.metric.get()).values) {
      const upstream = String(labels.upstream ?? '');
      const outcome = String(labels.outcome ?? 'ok');
      const entry = sums.get(upstream) ?? { upstream, ok: 0, error: 0, blocked: 0 };
      if (outcome === 'ok' || outcome === 'error' || outcome === 'blocked') entry[outcome] += value;
      sums.set(upstream, entry);
    }
    return [...sums.values()].sort((a, b) => a.upstream.localeCompare(b.upstream));
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
