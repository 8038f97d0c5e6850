/**
 * The inspection pipeline (issue 4): extract fields, run the detectors in their written-down order
 * (the order of the `detectors` array, which the caller passes: the composition root hands over
 * `src/detectors/index.ts`, so this layer never imports the one above it), give every finding an id
 * (`f_` + 12 hex), decide its action by policy, and stop at the first block. The verdict is a closed
 * union: `pass` (forward the original bytes), `redact` (forward the rewritten copy), `block`.
 * Findings whose action is `strip` (issue 12) rewrite their field as soon as their detector is done, so
 * the detectors after it read what the model will read: a stripped `<IMPORTANT>` block in a result is not
 * reported again as a tag wrapper, and a redaction is matched in the sanitised text. In a listing the
 * strips wait until every detector has read the original: a catalog item is withheld when any part of it,
 * stripped or not, carries instructions (issue 12: "list-phase items with instructions still withheld").
 * Detectors are local rules and fail closed: a detector that throws blocks the message.
 */
import { randomBytes } from 'node:crypto';
import { isListMethod, type Envelope, type Finding, type Verdict } from '../core/index.js';
import type { Detector, DetectorContext, RawFinding } from './types.js';
import { extractFields, withRaw, type LocatedField } from './fields.js';
import { DEFAULT_POLICY, resolveAction, toolOptionsFor, type PolicyConfig } from './policy.js';
import { applyRedactions, type Redaction } from './redact.js';
import { applyStrips, type Strip } from './strip.js';

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

export function newFindingId(): string {
  return `f_${randomBytes(6).toString('hex')}`;
}

export function appliesTo(detector: Detector, envelope: Envelope): boolean {
  const isList = isListMethod(envelope.method);
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

/** What one inspection accumulates: its fields (rewritten by strips), findings and pending rewrites. */
interface Run {
  fields: LocatedField[];
  findings: Finding[];
  redactions: Map<string, Redaction[]>;
  stripped: Set<string>;
  seen: Set<string>;
  /** Listing strips, applied once every detector has read the original text. */
  deferred: Map<string, Strip[]>;
}

function inspectEnvelope(envelope: Envelope, policy: PolicyConfig, list: readonly Detector[], newId: () => string): Verdict {
  const run: Run = { fields: extractFields(envelope), findings: [], redactions: new Map(), stripped: new Set(), seen: new Set(), deferred: new Map() };
  const defer = isListMethod(envelope.method);
  const ctx: DetectorContext = {
    envelope,
    fields: run.fields,
    toolOptions: toolOptionsFor(policy, envelope.tool),
    allowHosts: policy.exfil.allowHosts,
    shared: sharedScratch(),
  };
  for (const detector of list) {
    if (!appliesTo(detector, envelope)) continue;
    const strips = defer ? run.deferred : new Map<string, Strip[]>();
    for (const raw of runDetector(detector, ctx)) {
      // Two equal comments in one field are two findings: each strips its own place.
      const key = `${raw.rule}\u0000${raw.path}\u0000${raw.match}\u0000${raw.strip?.spans[0]?.start ?? ''}`;
      if (run.seen.has(key)) continue;
      run.seen.add(key);
      const { replacement, strip, ...rest } = raw;
      const finding: Finding = { id: newId(), ...rest, action: resolveAction(policy, envelope, raw) };
      run.findings.push(finding);
      if (finding.action === 'block') return { kind: 'block', findings: run.findings, reason: `${finding.rule}: ${finding.reason}`, finding };
      if (finding.action === 'redact' && replacement !== undefined) addTo(run.redactions, finding.path, { finding, replacement });
      if (finding.action === 'strip' && strip !== undefined) addTo(strips, finding.path, { finding, plan: strip });
    }
    if (!defer && strips.size > 0) ctx.fields = applyFieldStrips(run, strips);
  }
  if (run.deferred.size > 0) applyDeferredStrips(run);
  return finish(envelope, run);
}

/**
 * A listing's strips, after every detector: a redaction whose match was wholly inside stripped text is
 * gone with it and is dropped; the others are applied to the stripped text.
 */
function applyDeferredStrips(run: Run): void {
  const before = new Map(run.fields.map((f) => [f.path, f.raw]));
  applyFieldStrips(run, run.deferred);
  for (const field of run.fields) {
    const list = run.redactions.get(field.path);
    if (!list || !run.stripped.has(field.path)) continue;
    const kept = list.filter((r) => field.raw.includes(r.finding.match) || !before.get(field.path)?.includes(r.finding.match));
    if (kept.length > 0) run.redactions.set(field.path, kept);
    else run.redactions.delete(field.path);
  }
}

/** Rewrites the stripped fields in place of the old ones; the next detector reads the new list. */
function applyFieldStrips(run: Run, strips: ReadonlyMap<string, Strip[]>): LocatedField[] {
  run.fields = run.fields.map((field) => {
    const list = strips.get(field.path);
    if (!list) return field;
    run.stripped.add(field.path);
    return withRaw(field, applyStrips(field.raw, list));
  });
  return run.fields;
}

/** A per-inspection scratch map (see DetectorContext.shared). */
function sharedScratch(): <T>(key: object, create: () => T) => T {
  const scratch = new Map<object, unknown>();
  return <T>(key: object, create: () => T): T => {
    if (!scratch.has(key)) scratch.set(key, create());
    return scratch.get(key) as T;
  };
}

function addTo<T>(map: Map<string, T[]>, path: string, item: T): void {
  const list = map.get(path) ?? [];
  list.push(item);
  map.set(path, list);
}

function finish(envelope: Envelope, run: Run): Verdict {
  const { findings, redactions, stripped } = run;
  if (redactions.size === 0 && stripped.size === 0) return { kind: 'pass', findings };
  const payload = applyRedactions(envelope.payload, run.fields, redactions, stripped);
  if (payload !== undefined) return { kind: 'redact', findings, payload };
  const finding = [...redactions.values()].flat()[0]?.finding ?? (findings[0] as Finding);
  finding.action = 'block';
  return { kind: 'block', findings, reason: `${finding.rule}: ${finding.reason} (could not be redacted in place)`, finding };
}
