/**
 * The inspection pipeline (issue 4): extract fields, run the detectors in their written-down order
 * (the order of the `detectors` array, which the caller passes: the composition root hands over
 * `src/detectors/index.ts`, so this layer never imports the one above it), give every finding an id
 * (`f_` + 12 hex), decide its action by policy, and stop at the first block. The verdict is a closed
 * union: `pass` (forward the original bytes), `redact` (forward the rewritten copy), `block`.
 * Detectors are local rules and fail closed: a detector that throws blocks the message. So does a message
 * nested past the field walker's limit (fields.ts MAX_DEPTH): a critical `inspection/too-deep` finding,
 * decided before any detector runs, since what cannot be inspected must not pass (issue 7, item 5).
 */
import { randomBytes } from 'node:crypto';
import type { Envelope, Finding, Verdict } from '../core/index.js';
import type { Detector, DetectorContext, RawFinding } from './types.js';
import { extract, MAX_DEPTH, type LocatedField } from './fields.js';
import { DEFAULT_POLICY, resolveAction, toolOptionsFor, type PolicyConfig } from './policy.js';
import { applyRedactions, type Redaction } from './redact.js';

export interface PipelineOptions {
  /** Validated policy (config `policy:`); default: enforce with severity defaults. */
  policy?: PolicyConfig;
  /** Detectors in run order (required; the built-in list is `detectors` of `src/detectors/index.ts`). */
  detectors: readonly Detector[];
  /** Finding id source; default `f_` + 12 random hex characters. */
  newId?: () => string;
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

export function createPipeline(options: PipelineOptions): Pipeline {
  const policy = options.policy ?? DEFAULT_POLICY;
  const list = options.detectors;
  const newId = options.newId ?? newFindingId;
  return {
    async inspect(envelope) {
      return inspectEnvelope(envelope, policy, list, newId);
    },
  };
}

function runDetector(detector: Detector, ctx: DetectorContext): RawFinding[] {
  try {
    return detector.inspect(ctx);
  } catch (err) {
    const reason = `detector ${detector.id} failed: ${err instanceof Error ? err.message : String(err)}`;
    return [{ rule: 'pipeline/detector-error', severity: 'critical', path: '', reason, match: '' }];
  }
}

/** The finding for a message nested past the field walker's limit (fields.ts MAX_DEPTH): not inspectable, so not passed. */
function tooDeepFinding(path: string): RawFinding {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  const reason = `nested deeper than ${MAX_DEPTH} levels at ${shown}; too deep to inspect, so it was not passed on`;
  return { rule: 'inspection/too-deep', severity: 'critical', path, reason, match: '' };
}

function inspectEnvelope(envelope: Envelope, policy: PolicyConfig, list: readonly Detector[], newId: () => string): Verdict {
  const { fields, tooDeep } = extract(envelope);
  const ctx: DetectorContext = {
    envelope,
    fields,
    toolOptions: toolOptionsFor(policy, envelope.tool),
    allowHosts: policy.exfil.allowHosts,
    shared: sharedScratch(),
  };
  const findings: Finding[] = [];
  const redactions = new Map<string, Redaction[]>();
  const seen = new Set<string>();
  if (tooDeep !== undefined) {
    const raw = tooDeepFinding(tooDeep);
    const finding: Finding = { id: newId(), ...raw, action: resolveAction(policy, envelope, raw) };
    findings.push(finding);
    if (finding.action === 'block') return { kind: 'block', findings, reason: `${finding.rule}: ${finding.reason}`, finding };
  }
  for (const detector of list) {
    if (!appliesTo(detector, envelope)) continue;
    for (const raw of runDetector(detector, ctx)) {
      const key = `${raw.rule}\u0000${raw.path}\u0000${raw.match}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { replacement, ...rest } = raw;
      const finding: Finding = { id: newId(), ...rest, action: resolveAction(policy, envelope, raw) };
      findings.push(finding);
      if (finding.action === 'block') return { kind: 'block', findings, reason: `${finding.rule}: ${finding.reason}`, finding };
      if (finding.action === 'redact' && replacement !== undefined) addRedaction(redactions, finding, replacement);
    }
  }
  return finish(envelope, fields, findings, redactions);
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
