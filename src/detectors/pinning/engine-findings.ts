/**
 * The detection engine's view of a definition, for classifying a change (issue 10): the list-phase
 * content rules (the root hands them in) run over a definition as the listing entry it is, and the
 * findings introduced by a change are those of the new definition that the old one did not carry
 * (compared by rule and matched text, so the same old warning in a reworded sentence is not "new").
 */
import { severityRank, type Envelope } from '../../core/index.js';
import { extractFields } from '../../pipeline/index.js';
import type { LocalDetector, RawFinding } from '../../pipeline/types.js';

/** Findings below this are informational: they do not make a definition "flagged". */
const FLAGGED = severityRank('low');

export function engineFindings(rescanners: readonly LocalDetector[], envelope: Envelope, item: unknown): RawFinding[] {
  const listing: Envelope = { ...envelope, payload: item };
  const fields = extractFields(listing);
  return rescanners.flatMap((d) => d.inspect({ envelope: listing, fields })).filter((f) => severityRank(f.severity) >= FLAGGED);
}

/** Rules (with what they matched) the new definition carries and the old one did not; `before` undefined: all. */
export function introducedRules(rescanners: readonly LocalDetector[], envelope: Envelope, before: unknown, after: unknown): string[] {
  const key = (f: RawFinding) => `${f.rule}\u0000${f.match.trim().toLowerCase()}`;
  const old = new Set(before === undefined ? [] : engineFindings(rescanners, envelope, before).map(key));
  const introduced = engineFindings(rescanners, envelope, after).filter((f) => !old.has(key(f)));
  return [...new Set(introduced.map((f) => f.rule))];
}
