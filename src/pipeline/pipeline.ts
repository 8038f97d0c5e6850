/**
 * The inspection pipeline (issue 4; detector contract v2, issue 8): extract fields, run the detectors in
 * their written-down order (the order of the `detectors` array, which the caller passes: the composition
 * root builds it with `createDetectors`, so this layer never imports the one above it), give every
 * finding an id (`f_` + 12 hex), decide its action by policy, and stop at the first block. The verdict
 * is a closed union: `pass` (forward the original bytes), `redact` (forward the rewritten copy),
 * `block`. Findings whose action is `strip` (issue 12) rewrite their field before the next detector
 * runs, except in a listing (decision.ts). A detector may answer asynchronously under its deadline and
 * fails closed or open (run-detector.ts); once a verdict lets the message through, observers see what it
 * let through (observe.ts). Local rules answer synchronously and pay for neither.
 * A message nested past the field walker's limit (fields.ts MAX_DEPTH) cannot be inspected, so it does
 * not pass: a critical `inspection/too-deep` finding, decided before any detector runs (issue 7, item 5).
 */
import { LIST_METHODS, newFindingId, noMetrics, type Envelope, type Metrics, type Verdict } from '../core/index.js';
import type { Detector, RawFinding } from './types.js';
import { Decision } from './decision.js';
import { extract, MAX_DEPTH } from './fields.js';
import { observeDelivered } from './observe.js';
import { DEFAULT_POLICY, type PolicyConfig } from './policy.js';
import { DetectorCall, failureFinding, runDetector } from './run-detector.js';

export interface PipelineOptions {
  /** Validated policy (config `policy:`); default: enforce with severity defaults. */
  policy?: PolicyConfig;
  /** Detectors in run order (required; the root builds them with `createDetectors` of `src/detectors/`). */
  detectors: readonly Detector[];
  /** Finding id source; default `f_` + 12 random hex characters. */
  newId?: () => string;
  /** Where detector failures and timeouts are counted; default `noMetrics`. */
  metrics?: Metrics;
}

export interface Pipeline {
  inspect(envelope: Envelope): Promise<Verdict>;
}

export { newFindingId };

export function appliesTo(detector: Detector, envelope: Envelope): boolean {
  const isList = LIST_METHODS.has(envelope.method);
  if (detector.phase === 'list' && !isList) return false;
  if (detector.phase === 'call' && isList) return false;
  if (detector.methods !== '*' && !detector.methods.includes(envelope.method)) return false;
  return detector.directions.includes(envelope.direction);
}

interface Run {
  policy: PolicyConfig;
  detectors: readonly Detector[];
  reviewers: readonly Detector[];
  observers: readonly Detector[];
  newId: () => string;
  metrics: Metrics;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const run: Run = {
    policy: options.policy ?? DEFAULT_POLICY,
    detectors: options.detectors,
    reviewers: options.detectors.filter((d) => d.review !== undefined),
    observers: options.detectors.filter((d) => d.observe !== undefined),
    newId: options.newId ?? newFindingId,
    metrics: options.metrics ?? noMetrics,
  };
  return {
    inspect: (envelope) => inspectEnvelope(envelope, run),
  };
}

/** The finding for a message nested past the field walker's limit: not inspectable, so not passed. */
function tooDeepFinding(path: string): RawFinding {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  const reason = `nested deeper than ${MAX_DEPTH} levels at ${shown}; too deep to inspect, so it was not passed on`;
  return { rule: 'inspection/too-deep', severity: 'critical', path, reason, match: '' };
}

async function inspectEnvelope(envelope: Envelope, run: Run): Promise<Verdict> {
  const { fields, tooDeep } = extract(envelope);
  const shared = sharedScratch();
  const decision = new Decision(run, envelope, fields);
  const tooDeepBlock = tooDeep === undefined ? undefined : decision.add([tooDeepFinding(tooDeep)]);
  if (tooDeepBlock) return tooDeepBlock;
  const verdict = reviewed(await detect(envelope, run, decision, shared), envelope, run, decision, shared);
  if (verdict.kind === 'block' || run.observers.length === 0) return verdict;
  const observers = run.observers.filter((d) => appliesTo(d, envelope));
  if (observers.length > 0) await observeDelivered(observers, envelope, decision.fields, verdict, run.metrics, verdict.kind === 'pass' ? shared : sharedScratch());
  return verdict;
}

/** Runs the detectors in order; the first block stops the run. */
async function detect(envelope: Envelope, run: Run, decision: Decision, shared: Scratch): Promise<Verdict> {
  let call = new DetectorCall(envelope, decision.fields, shared);
  for (const detector of run.detectors) {
    if (!appliesTo(detector, envelope)) continue;
    const out = runDetector(detector, call, run.metrics);
    const blocked = decision.add(Array.isArray(out) ? out : await out);
    if (blocked) return blocked;
    // Synchronous rules share one context; a detector that went asynchronous or took the signal keeps its
    // own, and a strip gives the next detector the rewritten fields.
    if (decision.stripNow() || !Array.isArray(out) || call.signalled) call = new DetectorCall(envelope, decision.fields, shared);
  }
  return decision.finish();
}

/** The review step (types.ts `review`): each applicable reviewer sees every finding so far; a throw is counted and fails closed. */
function reviewed(verdict: Verdict, envelope: Envelope, run: Run, decision: Decision, shared: Scratch): Verdict {
  let out = verdict;
  for (const detector of run.reviewers) {
    if (!appliesTo(detector, envelope)) continue;
    let raws: RawFinding[];
    try {
      raws = detector.review?.(new DetectorCall(envelope, decision.fields, shared), decision.findings) ?? [];
    } catch (err) {
      run.metrics.count('detector_failures', { detector: detector.id, kind: 'review-error' });
      raws = [failureFinding(detector, 'error', `failed to review: ${err instanceof Error ? err.message : String(err)}`)];
    }
    out = decision.review(out, raws);
  }
  return out;
}

type Scratch = <T>(key: object, create: () => T) => T;

/** A per-inspection scratch map (see DetectorContext.shared). */
function sharedScratch(): <T>(key: object, create: () => T) => T {
  const scratch = new Map<object, unknown>();
  return <T>(key: object, create: () => T): T => {
    if (!scratch.has(key)) scratch.set(key, create());
    return scratch.get(key) as T;
  };
}
