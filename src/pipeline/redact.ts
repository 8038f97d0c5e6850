/**
 * Rewriting for redact verdicts. Works on a structured copy of the payload and changes only the strings
 * of the fields that carry redacted findings: each matched value is replaced by the finding's typed
 * placeholder and a short visible marker is appended so the model (and user) can tell text was removed.
 * Tool-call arguments going upstream get the placeholder only: the marker is for a reader, and an
 * argument is a value a server parses (issue 12).
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
export function rewriteField(raw: string, redactions: readonly Redaction[], marker = true): string | undefined {
  let out = raw;
  for (const r of redactions) {
    if (r.finding.match === '' || !out.includes(r.finding.match)) {
      if (!raw.includes(r.finding.match)) return undefined;
      continue; // an earlier redaction already covered this overlapping match
    }
    out = out.split(r.finding.match).join(r.replacement);
  }
  return marker ? `${out} ${redactionMarker(redactions)}` : out;
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

/**
 * A copy of `payload` with the redacted fields rewritten and the `stripped` fields (already rewritten by
 * strip.ts, see `fields[].raw`) put back; undefined if any rewrite is impossible.
 */
export function applyRedactions(
  payload: unknown,
  fields: readonly LocatedField[],
  byPath: ReadonlyMap<string, Redaction[]>,
  stripped: ReadonlySet<string> = new Set(),
): unknown {
  const copy: unknown = structuredClone(payload);
  for (const field of fields) {
    const redactions = byPath.get(field.path) ?? [];
    if (redactions.length === 0 && !stripped.has(field.path)) continue;
    const next = redactions.length === 0 ? field.raw : rewriteField(field.raw, redactions, field.role !== 'argument');
    if (next === undefined) return undefined;
    if (field.at.length === 0) return next;
    if (!setAt(copy, field.at, next)) return undefined;
  }
  return copy;
}
