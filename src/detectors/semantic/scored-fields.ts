/**
 * What the semantic detectors read (issue 15), computed once per inspection and shared through the
 * context's scratch: the prose fields of a tool listing (descriptions, titles, schema text) or of a tool
 * result, each scored by the local scorer (`TextScorer` port) with the heads that fit its surface —
 * `description` (every prose field) and `capability` (the tool's own description) in a listing,
 * `response` in a result. Text hidden in a field (tag
 * characters) is scored with it. Fields shorter than `MIN_SCORED_CHARS` are names and enum values:
 * too short to carry a sentence, not scored.
 */
import type { ScoredWindow, ScorerHead, TextScorer } from '../../core/index.js';
import type { DetectorContext, Field } from '../../pipeline/types.js';

export const MIN_SCORED_CHARS = 16;
/**
 * Longest text scored per field: its first 48 KiB and last 16 KiB (UTF-16 units). Scoring costs about
 * 0.1 ms per KB on this machine, so a 1 MiB result would take ~100 ms; the static detectors still read
 * every byte, and an injection aimed at a model sits where the model reads (the start or the end).
 */
export const MAX_SCORED_CHARS = 65_536;
const TAIL_CHARS = 16_384;
export type Surface = 'tool_description' | 'tool_result';

export interface HeadScore extends ScoredWindow {
  head: ScorerHead;
  /** Where the score stands against the model's thresholds for this head. */
  band: 'flag' | 'unsure' | 'below';
}

export interface ScoredField {
  field: Field;
  surface: Surface;
  /** The text that was scored (the field's normalised text plus its hidden text). */
  text: string;
  /** One per head asked; empty when no scorer is given. */
  scores: HeadScore[];
}

const HEADS: Readonly<Record<Surface, readonly ScorerHead[]>> = {
  tool_description: ['description', 'capability'],
  tool_result: ['response'],
};

export function surfaceOf(method: string): Surface | undefined {
  if (method === 'tools/list') return 'tool_description';
  if (method === 'tools/call') return 'tool_result';
  return undefined;
}

function scoredText(field: Field): string {
  const text = field.hidden.length === 0 ? field.text : [field.text, ...field.hidden].join('\n');
  if (text.length <= MAX_SCORED_CHARS) return text;
  return `${text.slice(0, MAX_SCORED_CHARS - TAIL_CHARS)}\n${text.slice(-TAIL_CHARS)}`;
}

/** The heads asked of a field: capability is a property of the tool, so only its own `description` says it. */
function headsOf(field: Field, surface: Surface): readonly ScorerHead[] {
  return HEADS[surface].filter((head) => head !== 'capability' || field.path === 'description');
}

function scoreField(field: Field, surface: Surface, scorer: TextScorer | undefined): ScoredField {
  const text = scoredText(field);
  const scores = (scorer ? headsOf(field, surface) : []).map((head): HeadScore => {
    const scored = scorer!.score(text, head);
    const { flag, unsure } = scorer!.thresholds(head);
    return { ...scored, head, band: scored.score >= flag ? 'flag' : scored.score >= unsure ? 'unsure' : 'below' };
  });
  return { field, surface, text, scores };
}

function compute(ctx: DetectorContext, scorer: TextScorer | undefined): ScoredField[] {
  const surface = surfaceOf(ctx.envelope.method);
  if (!surface) return [];
  return ctx.fields
    .filter((f) => f.role === 'prose' && f.text.length + f.hidden.join('').length >= MIN_SCORED_CHARS)
    .map((f) => scoreField(f, surface, scorer));
}

const SCRATCH = {};

/** The envelope's scored prose fields; one computation per inspection when the context shares scratch. */
export function scoredFields(ctx: DetectorContext, scorer: TextScorer | undefined): ScoredField[] {
  return ctx.shared ? ctx.shared(SCRATCH, () => compute(ctx, scorer)) : compute(ctx, scorer);
}
