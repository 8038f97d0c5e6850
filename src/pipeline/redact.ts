/**
 * Rewriting for redact verdicts. Works on a structured copy of the payload and changes only the strings
 * of the fields that carry redacted findings: each matched value is replaced by the finding's typed
 * placeholder and a short visible marker is appended so the model (and user) can tell text was removed.
 * If a match cannot be found in the raw string (it was only visible after normalisation), the rewrite
 * is refused and the caller blocks instead: a redaction that leaves the secret in place is no redaction.
 */
import { ownsKey, type Finding } from '../core/index.js';
import type { LocatedField, PathSegment } from './fields.js';

export interface Redaction {
  finding: Finding;
  replacement: string;
}

export function redactionMarker(redactions: readonly Redaction[]): string {
  const n = redactions.length;
  const secrets = redactions.every((r) => r.finding.rule.startsWith('secret'));
  const noun = secrets ? (n === 1 ? 'secret' : 'secrets') : n === 1 ? 'match' : 'matches';
  return `[mcp-watchdog: redacted ${n} ${noun}]`;
}

/** The rewritten string of one field, or undefined when a match is not present in the raw text. */
export function rewriteField(raw: string, redactions: readonly Redaction[]): string | undefined {
  let out = raw;
  for (const r of redactions) {
    if (r.finding.match === '' || !out.includes(r.finding.match)) {
      if (!raw.includes(r.finding.match)) return undefined;
      continue; // an earlier redaction already covered this overlapping match
    }
    out = out.split(r.finding.match).join(r.replacement);
  }
  return `${out} ${redactionMarker(redactions)}`;
}

function setAt(root: unknown, at: readonly PathSegment[], value: string): boolean {
  let node: unknown = root;
  for (let i = 0; i < at.length - 1; i++) {
    const seg = at[i] as PathSegment;
    if (!ownsKey(node, seg)) return false;
    node = (node as Record<string | number, unknown>)[seg];
  }
  const last = at[at.length - 1];
  // Own keys only, and defined rather than assigned: a field named `__proto__` is rewritten as data.
  if (last === undefined || !ownsKey(node, last)) return false;
  Object.defineProperty(node, last, { value, writable: true, enumerable: true, configurable: true });
  return true;
}

/** A copy of `payload` with the redacted fields rewritten; undefined if any rewrite is impossible. */
export function applyRedactions(
  payload: unknown,
  fields: readonly LocatedField[],
  byPath: ReadonlyMap<string, Redaction[]>,
): unknown {
  const copy: unknown = structuredClone(payload);
  for (const field of fields) {
    const redactions = byPath.get(field.path);
    if (!redactions || redactions.length === 0) continue;
    const next = rewriteField(field.raw, redactions);
    if (next === undefined) return undefined;
    if (field.at.length === 0) return next;
    if (!setAt(copy, field.at, next)) return undefined;
  }
  return copy;
}
