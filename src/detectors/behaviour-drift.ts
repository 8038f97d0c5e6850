/**
 * Detector `behaviour-drift` (issue 11): baselines per upstream × tool of the results that reached the
 * client, kept through the `BaselineStore` port under `tool:<upstream>/<public tool name>`, and findings
 * when a result departs from its baseline. It learns in `observe` (what was delivered) and judges in
 * `review` (after every other detector, so it sees their findings, block included):
 * - learning: a result without findings (below info) is a clean call — its size (`~size`, with a window
 *   for median/MAD), skeleton (`skel:<digest>`) and the gap since the previous call (`~gap`, the call
 *   rate) are folded in; a result with findings only adds its finding classes (`class:<rule>`), so flagged
 *   responses never shape the clean baseline. Blocked results teach nothing.
 * - `behaviour-drift/phase-transition` high: a result carrying a finding class the baseline has never seen,
 *   after at least `minCalls` clean calls — a server that behaved and then starts injecting (delayed
 *   activation). It annotates the other detector's finding and names the baseline it broke.
 * - `behaviour-drift/skeleton-change` medium: after `minCalls` clean calls, a result (with no other
 *   finding) whose key skeleton was never seen. Alerts once: the drift finding does not keep the result out of learning.
 * - `behaviour-drift/size-outlier` low: size more than `sizeMads` MADs from the median of the recent clean sizes.
 * - `behaviour-drift/scope-creep` high: a listed tool whose input schema gained a field asking for
 *   credentials, tokens or conversation context since the listing it was last delivered with (baseline
 *   `schema:<upstream>/<tool>`, learned from delivered listings; a withheld one teaches nothing).
 */
import type { BaselineStore, Baseline, Clock, Finding } from '../core/index.js';
import type { DriftConfig } from '../config/schema.js';
import type { DeliveredVerdict, DetectorContext, Detector, RawFinding } from '../pipeline/types.js';
import { medianMad, responseSize, skeletonOf } from './drift/response-shape.js';
import { schemaFieldNames, sensitiveField } from './drift/schema-fields.js';

export interface DriftPorts {
  baselines: BaselineStore;
  clock: Clock;
}

const OWN = 'behaviour-drift/';

function baselineKey(ctx: DetectorContext): string {
  return `tool:${ctx.envelope.upstream}/${ctx.envelope.tool ?? '?'}`;
}

/** Findings of other detectors that count as a finding class (info ones and the pipeline's own do not). */
function classesOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity !== 'info' && !f.rule.startsWith(OWN) && !f.rule.startsWith('pipeline/')).map((f) => f.rule))];
}

function describeBaseline(key: string, b: Baseline, clean: number): string {
  const classes = Object.keys(b.features).filter((k) => k.startsWith('class:')).map((k) => k.slice(6));
  return `baseline ${key}: ${clean} clean calls since ${new Date(b.firstSeen).toISOString()}, finding classes seen: ${classes.length > 0 ? classes.join(', ') : 'none'}`;
}

function judge(ctx: DetectorContext, findings: readonly Finding[], b: Baseline, options: DriftConfig): RawFinding[] {
  const key = baselineKey(ctx);
  const clean = b.features.clean?.count ?? 0;
  if (clean < options.minCalls) return [];
  const named = describeBaseline(key, b, clean);
  const classes = classesOf(findings);
  const fresh = classes.filter((rule) => b.features[`class:${rule}`] === undefined);
  if (fresh.length > 0) {
    return [{ rule: `${OWN}phase-transition`, severity: 'high', path: '', reason: `first ${fresh.join(', ')} from ${ctx.envelope.tool ?? 'this tool'} after ${clean} clean calls (${named})`, match: fresh.join(', ') }];
  }
  // A result other detectors flagged is judged by their findings; shape and size are measured on clean ones.
  if (classes.length > 0) return [];
  const out: RawFinding[] = [];
  const skeleton = skeletonOf(ctx.envelope.payload);
  if (b.features[`skel:${skeleton.digest}`] === undefined) {
    const shown = skeleton.paths.slice(0, 8).join(', ');
    out.push({ rule: `${OWN}skeleton-change`, severity: 'medium', path: '', reason: `result keys changed to a shape never seen in ${clean} clean calls (${shown}${skeleton.paths.length > 8 ? ', …' : ''}; ${named})`, match: skeleton.digest });
  }
  const sizes = b.recent?.['~size'] ?? [];
  if (sizes.length > 0) {
    const size = responseSize(ctx.fields);
    const { median, mad } = medianMad(sizes);
    const spread = Math.max(mad, median * 0.05, 16);
    if (Math.abs(size - median) > options.sizeMads * spread) {
      out.push({ rule: `${OWN}size-outlier`, severity: 'low', path: '', reason: `result of ${size} characters, median ${median} (MAD ${mad}) over the last ${sizes.length} clean calls (${named})`, match: String(size) });
    }
  }
  return out;
}

function learn(ctx: DetectorContext, verdict: DeliveredVerdict, ports: DriftPorts): void {
  const key = baselineKey(ctx);
  const now = ports.clock.now();
  const classes = classesOf(verdict.findings);
  if (classes.length > 0) {
    ports.baselines.update(key, Object.fromEntries(classes.map((rule) => [`class:${rule}`, 1])), now);
    return;
  }
  const previous = ports.baselines.get(key);
  const sample: Record<string, number> = { clean: 1, '~size': responseSize(ctx.fields), [`skel:${skeletonOf(ctx.envelope.payload).digest}`]: 1 };
  if (previous) sample['~gap'] = Math.max(0, now - previous.lastSeen);
  ports.baselines.update(key, sample, now);
}

function schemaKey(ctx: DetectorContext): string {
  return `schema:${ctx.envelope.upstream}/${ctx.envelope.tool ?? '?'}`;
}

function scopeCreep(ctx: DetectorContext, b: Baseline): RawFinding[] {
  const key = schemaKey(ctx);
  const gained = schemaFieldNames(ctx.envelope.payload).flatMap((name) => {
    const what = b.features[`field:${name}`] === undefined ? sensitiveField(name) : undefined;
    return what ? [`${name} (${what})`] : [];
  });
  if (gained.length === 0) return [];
  const since = `baseline ${key}: ${b.samples} delivered listings since ${new Date(b.firstSeen).toISOString()}`;
  return [{ rule: `${OWN}scope-creep`, severity: 'high', path: 'inputSchema.properties', reason: `tool ${ctx.envelope.tool ?? '?'} now asks for ${gained.join(', ')}, fields its schema did not have (${since})`, match: gained.join(', ') }];
}

export function createBehaviourDriftDetector(options: DriftConfig, ports: DriftPorts): Detector {
  return {
    id: 'behaviour-drift',
    phase: 'both',
    methods: ['tools/call', 'tools/list'],
    directions: ['to_client'],
    inspect: () => [],
    review(ctx, findings) {
      if (!options.enabled || ctx.envelope.payloadKind === 'error') return [];
      const listing = ctx.envelope.method === 'tools/list';
      const baseline = ports.baselines.get(listing ? schemaKey(ctx) : baselineKey(ctx));
      if (!baseline) return [];
      return listing ? scopeCreep(ctx, baseline) : judge(ctx, findings, baseline, options);
    },
    observe(ctx, verdict) {
      if (!options.enabled || ctx.envelope.payloadKind === 'error') return;
      if (ctx.envelope.method !== 'tools/list') return learn(ctx, verdict, ports);
      const fields = schemaFieldNames(ctx.envelope.payload);
      ports.baselines.update(schemaKey(ctx), Object.fromEntries([['listings', 1], ...fields.map((name) => [`field:${name}`, 1])]), ports.clock.now());
    },
  };
}
