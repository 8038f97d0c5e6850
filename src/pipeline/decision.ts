/**
 * What one inspection decides, detector by detector: every finding gets its id and its policy action,
 * the first block ends the inspection, redactions wait for the end, and strips (issue 12) rewrite their
 * field as soon as their detector is done, so the detectors after it read what the model will read: a
 * stripped `<IMPORTANT>` block in a result is not reported again as a tag wrapper, and a redaction is
 * matched in the sanitised text. In a listing the strips wait until every detector has read the original:
 * a catalog item is withheld when any part of it, stripped or not, carries instructions (issue 12:
 * "list-phase items with instructions still withheld").
 */
import { LIST_METHODS, type Envelope, type Finding, type Verdict } from '../core/index.js';
import { withRaw, type LocatedField } from './fields.js';
import { resolveAction, type PolicyConfig } from './policy.js';
import { applyRedactions, type Redaction } from './redact.js';
import { applyStrips, type Strip } from './strip.js';
import type { RawFinding } from './types.js';

export interface DecisionRules {
  policy: PolicyConfig;
  newId: () => string;
}

export class Decision {
  readonly findings: Finding[] = [];
  readonly #redactions = new Map<string, Redaction[]>();
  readonly #stripped = new Set<string>();
  readonly #seen = new Set<string>();
  /** Strips not applied yet: the current detector's (call phase), or the whole listing's (deferred). */
  #pending = new Map<string, Strip[]>();
  readonly #deferStrips: boolean;
  #fields: LocatedField[];

  constructor(
    private readonly rules: DecisionRules,
    private readonly envelope: Envelope,
    fields: LocatedField[],
  ) {
    this.#deferStrips = LIST_METHODS.has(envelope.method);
    this.#fields = fields;
  }

  /** The fields as the next detector reads them (rewritten by the strips applied so far). */
  get fields(): readonly LocatedField[] {
    return this.#fields;
  }

  /** Adds one detector's findings; returns the verdict when one of them blocks. */
  add(raws: readonly RawFinding[]): Verdict | undefined {
    for (const raw of raws) {
      // Two equal comments in one field are two findings: each strips its own place.
      const key = `${raw.rule}\u0000${raw.path}\u0000${raw.match}\u0000${raw.strip?.spans[0]?.start ?? ''}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      const { replacement, strip, ...rest } = raw;
      const finding: Finding = { id: this.rules.newId(), ...rest, action: resolveAction(this.rules.policy, this.envelope, raw) };
      this.findings.push(finding);
      if (finding.action === 'block') return { kind: 'block', findings: this.findings, reason: `${finding.rule}: ${finding.reason}`, finding };
      if (finding.action === 'redact' && replacement !== undefined) addTo(this.#redactions, finding.path, { finding, replacement });
      if (finding.action === 'strip' && strip !== undefined) addTo(this.#pending, finding.path, { finding, plan: strip });
    }
    return undefined;
  }

  /**
   * Findings of the review step (types.ts `review`), after the verdict: ids and actions as usual, no
   * redactions or strips (the payload is decided). A block among them blocks a verdict that passed.
   */
  review(verdict: Verdict, raws: readonly RawFinding[]): Verdict {
    let out = verdict;
    for (const raw of raws) {
      const { replacement: _r, strip: _s, ...rest } = raw;
      const finding: Finding = { id: this.rules.newId(), ...rest, action: resolveAction(this.rules.policy, this.envelope, raw) };
      if (finding.action === 'redact' || finding.action === 'strip') finding.action = 'alert';
      this.findings.push(finding);
      if (finding.action === 'block' && out.kind !== 'block') out = { kind: 'block', findings: this.findings, reason: `${finding.rule}: ${finding.reason}`, finding };
    }
    return out;
  }

  /** After a detector in the call phase: applies its strips; true when the fields were rewritten. */
  stripNow(): boolean {
    if (this.#deferStrips || this.#pending.size === 0) return false;
    this.#rewrite(this.#pending);
    this.#pending = new Map();
    return true;
  }

  /** The verdict once every detector has run: pass, or the rewritten copy, or block when a rewrite is impossible. */
  finish(): Verdict {
    if (this.#pending.size > 0) this.#applyDeferredStrips();
    const findings = this.findings;
    if (this.#redactions.size === 0 && this.#stripped.size === 0) return { kind: 'pass', findings };
    const payload = applyRedactions(this.envelope.payload, this.#fields, this.#redactions, this.#stripped);
    if (payload !== undefined) return { kind: 'redact', findings, payload };
    const finding = [...this.#redactions.values()].flat()[0]?.finding ?? (findings[0] as Finding);
    finding.action = 'block';
    return { kind: 'block', findings, reason: `${finding.rule}: ${finding.reason} (could not be redacted in place)`, finding };
  }

  /**
   * A listing's strips, after every detector: a redaction whose match was wholly inside stripped text is
   * gone with it and is dropped; the others are applied to the stripped text.
   */
  #applyDeferredStrips(): void {
    const before = new Map(this.#fields.map((f) => [f.path, f.raw]));
    this.#rewrite(this.#pending);
    this.#pending = new Map();
    for (const field of this.#fields) {
      const list = this.#redactions.get(field.path);
      if (!list || !this.#stripped.has(field.path)) continue;
      const kept = list.filter((r) => field.raw.includes(r.finding.match) || !before.get(field.path)?.includes(r.finding.match));
      if (kept.length > 0) this.#redactions.set(field.path, kept);
      else this.#redactions.delete(field.path);
    }
  }

  /** Replaces the stripped fields with their rewritten text, normalised again for the detectors after. */
  #rewrite(strips: ReadonlyMap<string, Strip[]>): void {
    this.#fields = this.#fields.map((field) => {
      const list = strips.get(field.path);
      if (!list) return field;
      this.#stripped.add(field.path);
      return withRaw(field, applyStrips(field.raw, list));
    });
  }
}

function addTo<T>(map: Map<string, T[]>, path: string, item: T): void {
  const list = map.get(path) ?? [];
  list.push(item);
  map.set(path, list);
}
