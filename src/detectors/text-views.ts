/**
 * What the text detectors iterate over: every field's normalised text and each hidden payload decoded
 * by the normaliser, flagged as hidden so a detector can raise the severity of what was smuggled.
 * Matching helpers here bound every scan (at most `limit` matches per pattern and field) so a hostile
 * 1 MiB result cannot make a detector quadratic.
 */
import type { Severity } from '../core/index.js';
import type { Field, FieldRole, RawFinding } from '../pipeline/types.js';

export interface TextView {
  field: Field;
  text: string;
  hidden: boolean;
}

export function textViews(fields: readonly Field[], roles: readonly FieldRole[] = ['prose']): TextView[] {
  const out: TextView[] = [];
  for (const field of fields) {
    if (!roles.includes(field.role)) continue;
    out.push({ field, text: field.text, hidden: false });
    for (const h of field.hidden) out.push({ field, text: h, hidden: true });
  }
  return out;
}

/** Up to `limit` matches of a global regular expression. */
export function matchAll(re: RegExp, text: string, limit = 8): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (out.length < limit && (m = re.exec(text)) !== null) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  re.lastIndex = 0;
  return out;
}

export function clip(s: string, max = 200): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** One step up (hidden text is worse than the same text shown openly), capped at critical. */
export function raise(s: Severity): Severity {
  return ORDER[Math.min(ORDER.indexOf(s) + 1, ORDER.length - 1)] ?? 'critical';
}

export interface Pattern {
  rule: string;
  severity: Severity;
  re: RegExp;
  reason: string;
}

/** Runs a pattern table over the views; hidden views report one severity higher. */
export function scanPatterns(views: readonly TextView[], patterns: readonly Pattern[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const view of views) {
    for (const p of patterns) {
      for (const m of matchAll(p.re, view.text, 3)) {
        out.push({
          rule: p.rule,
          severity: view.hidden ? raise(p.severity) : p.severity,
          path: view.field.path,
          reason: view.hidden ? `${p.reason} (in hidden text)` : p.reason,
          match: clip(m[0]),
        });
      }
    }
  }
  return out;
}
