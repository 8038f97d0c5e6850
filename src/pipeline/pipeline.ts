/**
 * The inspection pipeline (issue 4; detector contract v2, issue 8): extract fields, run the detectors in
 * their written-down order (the order of the `detectors` array, which the caller passes: the composition
 * root builds it with `createDetectors`, so this layer never imports the one above it), give every
 * finding an id (`f_` + 12 hex), decide its action by policy, and stop at the first block. The verdict
 * is a closed union: `pass` (forward the original bytes), `redact` (forward the rewritten copy),
 * `block`. A detector may answer asynchronously under its deadline and fails closed or open
 * (run-detector.ts); once a verdict lets the message through, observers see what it let through
 * (observe.ts). Local rules answer synchronously and pay for neither.
 */
import { randomBytes } from 'node:crypto';
import { noMetrics, type Envelope, type Finding, type Metrics, type Verdict } from '../core/index.js';
import type { Detector, RawFinding } from './types.js';
import { extractFields, type LocatedField } from './fields.js';
import { observeDelivered } from './observe.js';
import { DEFAULT_POLICY, resolveAction, type PolicyConfig } from './policy.js';
import { applyRedactions, type Redaction } from './redact.js';
import { DetectorCall, runDetector } from './run-detector.js';

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

const LIST_METHODS: ReadonlySet<string> = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'initialize']);

export function newFindingId(): string {
  return `f_${randomBytes(6).toString('hex')}`;
}

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
  observers: readonly Detector[];
  newId: () => string;
  metrics: Metrics;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const run: Run = {
    policy: options.policy ?? DEFAULT_POLICY,
    detectors: options.detectors,
    observers: options.detectors.filter((d) => d.observe !== undefined),
    newId: options.newId ?? newFindingId,
    metrics: options.metrics ?? noMetrics,
  };
  return {
    inspect: (envelope) => inspectEnvelope(envelope, run),
  };
}

/** Findings and redactions of one inspection, in detector order. */
class Decision {
  readonly findings: Finding[] = [];
  readonly redactions = new Map<string, Redaction[]>();
  readonly #seen = new Set<string>();

  constructor(private readonly run: Run, private readonly envelope: Envelope) {}

  /** Adds one detector's findings; returns the verdict when one of them blocks. */
  add(raws: readonly RawFinding[]): Verdict | undefined {
    for (const raw of raws) {
      const key = `${raw.rule}\u0000${raw.path}\u0000${raw.match}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      const { replacement, ...rest } = raw;
      const finding: Finding = { id: this.run.newId(), ...rest, action: resolveAction(this.run.policy, this.envelope, raw) };
      this.findings.push(finding);
      if (finding.action === 'block') return { kind: 'block', findings: this.findings, reason: `${finding.rule}: ${finding.reason}`, finding };
      if (finding.action === 'redact' && replacement !== undefined) addRedaction(this.redactions, finding, replacement);
    }
    return undefined;
  }
}

async function inspectEnvelope(envelope: Envelope, run: Run): Promise<Verdict> {
  const fields = extractFields(envelope);
  const shared = sharedScratch();
  const decision = new Decision(run, envelope);
  for (const detector of run.detectors) {
    if (!appliesTo(detector, envelope)) continue;
    const out = runDetector(detector, new DetectorCall(envelope, fields, shared), run.metrics);
    const blocked = decision.add(Array.isArray(out) ? out : await out);
    if (blocked) return blocked;
  }
  const verdict = finish(envelope, fields, decision.findings, decision.redactions);
  if (verdict.kind === 'block' || run.observers.length === 0) return verdict;
  const observers = run.observers.filter((d) => appliesTo(d, envelope));
  if (observers.length > 0) await observeDelivered(observers, envelope, fields, verdict, run.metrics, verdict.kind === 'pass' ? shared : sharedScratch());
  return verdict;
}

/** A per-inspection scratch map (see DetectorContext.shared). */
function sharedScratch(): <T>(key: object, create: () => T) => T {
  const scratch = new Map<object, unknown>();
  return <T>(key: object, create: () => T): T => {
    if (!scratch.has(key)) scratch.set(key, create());
    return scratch.get(key) as T;
  };
}

function addRedaction(map: Map<string, Redaction[]>, finding: Finding, replacement: string): void {
  const list = map.get(finding.path) ?? [];
  list.push({ finding, replacement });
  map.set(finding.path, list);
}

function finish(envelope: Envelope, fields: readonly LocatedField[], findings: Finding[], redactions: Map<string, Redaction[]>): Verdict {
  if (redactions.size === 0) return { kind: 'pass', findings };
  const payload = applyRedactions(envelope.payload, fields, redactions);
  if (payload !== undefined) return { kind: 'redact', findings, payload };
  const finding = [...redactions.values()].flat()[0]?.finding as Finding;
  finding.action = 'block';
  return { kind: 'block', findings, reason: `${finding.rule}: ${finding.reason} (could not be redacted in place)`, finding };
}
