/**
 * The strippable findings of the hidden-content detector (issue 12, "A sanitise action"): comments,
 * invisible and bidi characters and ANSI control, each found in the raw field with the spans a `strip`
 * action removes. Severity comes from what the hidden text says (hidden-signals.ts), as before: a
 * comment or an invisible payload that reads as instructions is high, so a listing that carries one is
 * still withheld; a lint pragma or a stray zero-width space is low or info, and is stripped.
 */
import { severityRank, type Severity } from '../../core/index.js';
import type { Field, RawFinding, Span, StripPlan } from '../../pipeline/types.js';
import { ansiControlSpans, stripAnsi } from '../../pipeline/ansi.js';
import { decodeTagRuns, decodeZeroWidthBits, normalise, reverseBidiOverrides } from '../../pipeline/normalise.js';
import { commentSpans, hasWords, type CommentSpan } from './comment-spans.js';
import { invisibleSpans } from './invisible-spans.js';
import { scoreHidden, severityForHidden } from './hidden-signals.js';

/** Comments reported one finding each; the rest of a field's comments are stripped as one more finding. */
const MAX_COMMENT_FINDINGS = 50;

function max(a: Severity, b: Severity | undefined): Severity {
  return b !== undefined && severityRank(b) > severityRank(a) ? b : a;
}

/** The severity of text decoded from an invisible channel: three words of prose are already high. */
export function severityOfPayload(payload: string): Severity | undefined {
  const score = scoreHidden(payload);
  // A bare link target (OSC 8) is not prose: count words outside URLs.
  const words = payload.replace(/\b(?:https?|ftp|file):\/\/\S{1,2000}/gi, ' ').match(/[A-Za-z]{2,}/g)?.length ?? 0;
  return words >= 3 ? 'high' : severityForHidden(score, true) ?? (words >= 1 ? 'medium' : undefined);
}

function describe(payloads: readonly string[]): string {
  const signals = [...new Set(payloads.flatMap((p) => scoreHidden(p).signals))];
  return signals.length > 0 ? ` decoding to ${signals.join(', ')}` : payloads.length > 0 ? ' decoding to text' : '';
}

/**
 * A strippable finding. Its `match` is the whole stripped content, not an excerpt: the audit log keeps
 * its salted hash with the time (SMAC-4), so the same hidden payload is recognisable across messages.
 */
function finding(field: Field, rule: string, severity: Severity, reason: string, strip: StripPlan): RawFinding {
  return { rule, severity, path: field.path, reason, match: spansText(field.raw, strip.spans), strip };
}

function commentFinding(field: Field, comments: readonly CommentSpan[]): RawFinding {
  const first = comments[0] as CommentSpan;
  const { text, hidden } = normalise(comments.map((c) => c.body).join('\n'));
  const score = scoreHidden([text, ...hidden].join('\n'));
  const severity = severityForHidden(score, false) ?? 'info';
  const what = first.kind === 'html' ? 'HTML comment' : 'markdown comment';
  const many = comments.length > 1 ? `${comments.length} ${what}s` : what;
  return finding(field, `hidden-content/${first.kind}-comment`, severity, `${many} containing ${score.signals.join(', ') || 'prose'}`,
    { family: 'comments', spans: comments.map(({ start, end }) => ({ start, end })), marker: 'inline' });
}

/** One finding per worded comment (word-less, structural ones stay); past MAX_COMMENT_FINDINGS one for the rest. */
export function commentFindings(field: Field): RawFinding[] {
  const worded = commentSpans(field.raw).filter((c) => hasWords(c.body));
  const out = worded.slice(0, MAX_COMMENT_FINDINGS).map((c) => commentFinding(field, [c]));
  const rest = worded.slice(MAX_COMMENT_FINDINGS);
  if (rest.length > 0) out.push(commentFinding(field, rest));
  return out;
}

function spansText(raw: string, spans: readonly Span[]): string {
  return spans.map((s) => raw.slice(s.start, s.end)).join('');
}

/** Invisible format characters and bidi controls outside legitimate sequences (invisible-spans.ts). */
export function invisibleFindings(field: Field): RawFinding[] {
  const found = invisibleSpans(field.raw);
  const out: RawFinding[] = [];
  if (found.invisible.length > 0) {
    const payloads = [...decodeTagRuns(field.raw), ...decodeZeroWidthBits(field.raw)].filter((p) => p.trim() !== '');
    const count = found.invisible.reduce((n, s) => n + s.end - s.start, 0);
    const base: Severity = found.invisible.some((s) => s.end - s.start >= 16) ? 'medium' : 'low';
    const severity = payloads.reduce<Severity>((s, p) => max(s, severityOfPayload(p)), base);
    const reason = `${count} invisible format characters${describe(payloads)}`;
    out.push(finding(field, 'hidden-content/invisible-chars', severity, reason, { family: 'invisible', spans: found.invisible, marker: 'end' }));
  }
  if (found.bidi.length > 0) {
    const payloads = reverseBidiOverrides(field.raw);
    const severity = payloads.reduce<Severity>((s, p) => max(s, severityOfPayload(p)), found.overrides ? 'medium' : 'low');
    const reason = `${found.overrides ? 'bidi embedding or override' : 'bidi marks outside right-to-left text'}${describe(payloads)}`;
    out.push(finding(field, 'hidden-content/bidi-control', severity, reason, { family: 'invisible', spans: found.bidi, marker: 'end' }));
  }
  return out;
}

/** ANSI control other than colour: cursor movement, erase, concealed text, OSC titles and hyperlinks. */
export function ansiFindings(field: Field): RawFinding[] {
  const spans = ansiControlSpans(field.raw);
  if (spans.length === 0) return [];
  const payloads = stripAnsi(field.raw).hidden;
  const severity = payloads.reduce<Severity>((s, p) => max(s, severityOfPayload(p)), 'low');
  const reason = `${spans.length} ANSI control sequences (cursor movement, erase, titles, links or concealed text)${describe(payloads)}`;
  return [finding(field, 'hidden-content/ansi-control', severity, reason, { family: 'ansi', spans, marker: 'end' })];
}
