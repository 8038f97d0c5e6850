/**
 * Rewriting for strip actions (issue 12, "A sanitise action"): the spans a finding's strip plan names are
 * excised from the raw field and a short visible marker with the finding id is left, so the model (and a
 * user reading the transcript) can tell something was removed and look the finding up in the audit log.
 * The marker of a block-like finding (a comment, an instruction block, an OSC sequence) takes the place of
 * its first span; characters scattered through words (zero-width, bidi) put it at the end of the field,
 * where it cannot split a word or a file name. Overlapping spans of several findings are merged, and every
 * finding keeps its marker.
 */
import type { Finding } from '../core/index.js';
import type { StripPlan } from './types.js';

export interface Strip {
  finding: Finding;
  plan: StripPlan;
}

export function stripMarker(finding: Finding): string {
  return `[mcp-watchdog: stripped ${finding.rule.slice(finding.rule.indexOf('/') + 1)} ${finding.id}]`;
}

interface Piece {
  start: number;
  end: number;
  /** The inline marker this piece carries (the first span of an inline finding), or ''. */
  marker: string;
}

function pieces(strips: readonly Strip[], length: number): Piece[] {
  const out: Piece[] = [];
  for (const { finding, plan } of strips) {
    plan.spans.forEach((span, i) => {
      const start = Math.max(0, Math.min(span.start, length));
      const end = Math.max(start, Math.min(span.end, length));
      const marker = i === 0 && plan.marker === 'inline' ? stripMarker(finding) : '';
      if (end > start || marker !== '') out.push({ start, end, marker });
    });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** `raw` with every stripped span removed, inline markers in place and end markers appended. */
export function applyStrips(raw: string, strips: readonly Strip[]): string {
  let out = '';
  let at = 0;
  let region: { start: number; end: number; markers: string[] } | undefined;
  const flush = (): void => {
    if (!region) return;
    out += raw.slice(at, region.start) + region.markers.join('');
    at = region.end;
    region = undefined;
  };
  for (const piece of pieces(strips, raw.length)) {
    if (region && piece.start <= region.end) {
      region.end = Math.max(region.end, piece.end);
    } else {
      flush();
      region = { start: piece.start, end: piece.end, markers: [] };
    }
    if (piece.marker !== '') region.markers.push(piece.marker);
  }
  flush();
  out += raw.slice(at);
  const endMarkers = strips.filter((s) => s.plan.marker === 'end').map((s) => stripMarker(s.finding));
  return endMarkers.length > 0 ? `${out} ${endMarkers.join(' ')}` : out;
}
