/**
 * Detector `semantic-scorer` (issue 15): the local learned scorer (`TextScorer` port; model in
 * models/semantic-scorer.bin, trained by scripts/train-scorer.js) on every tool description and tool
 * result the patterns let through — for what carries no marker words: an unrelated task appended to an
 * e-mail, malicious code in a code answer, a description that goes beyond its purpose, a tool that
 * openly offers a harmful capability. A score at or above the head's `flag` threshold (kept in the
 * model file, calibrated on benign text it never trained on) is a finding:
 * - `semantic-scorer/injection` high: a description (head `description`) or a result (head `response`)
 *   reads as an injection; the match is the highest-scoring window;
 * - `semantic-scorer/capability` high: a description offers a harmful capability (credential theft,
 *   privilege escalation, reconnaissance…) — a risk of the tool itself, shown by `watchdog scan`.
 * Scores in the `unsure` band are no finding here; they are what the LLM judge is asked about when it
 * is configured (semantic-judge.ts). Synchronous, about 30 µs per KB; fails closed like every local rule.
 */
import type { TextScorer } from '../core/index.js';
import type { LocalDetector, RawFinding } from '../pipeline/types.js';
import { scoredFields, type HeadScore, type ScoredField } from './semantic/scored-fields.js';

const WHAT: Readonly<Record<HeadScore['head'], string>> = {
  description: 'the tool description reads as an injection',
  response: 'the tool result reads as an injection',
  capability: 'the tool description offers a harmful capability',
};

function finding(scored: ScoredField, s: HeadScore): RawFinding {
  return {
    rule: s.head === 'capability' ? 'semantic-scorer/capability' : 'semantic-scorer/injection',
    severity: 'high',
    path: scored.field.path,
    reason: `${WHAT[s.head]} (local scorer ${s.score.toFixed(3)}, ${s.head} head)`,
    match: scored.text.slice(s.start, s.end),
  };
}

export function createSemanticScorerDetector(scorer: TextScorer): LocalDetector {
  return {
    id: 'semantic-scorer',
    phase: 'both',
    methods: ['tools/list', 'tools/call'],
    directions: ['to_client'],
    inspect(ctx) {
      return scoredFields(ctx, scorer).flatMap((scored) => scored.scores.filter((s) => s.band === 'flag').map((s) => finding(scored, s)));
    },
  };
}
