/**
 * Detector `semantic-judge` (issue 15): asks the LLM judge (`Classifier` port; the Anthropic one lives
 * in src/classifier/) about text that patterns cannot read — only when the root configured a judge, and
 * only for what is worth a call: fields the local scorer finds suspicious but not sure (`judge: unsure`),
 * plus, with `judge: descriptions`, every tool description at listing time (few, and cached by content).
 * Text the scorer already flags is not sent: the scorer's finding stands. When nothing qualifies the
 * detector answers synchronously, so a message that does not trigger the judge costs no more than before.
 * Findings: `semantic-judge/injection` high for a malicious verdict (`…/capability` for a harmful tool,
 * `…/malicious-code` for code), `semantic-judge/suspicious` medium for a suspicious one. The detector
 * fails open by default: a judge that times out, errors, is over budget or answers out of shape becomes
 * an info `pipeline/detector-*` finding — the message goes on "unjudged" and the audit log says so.
 */
import type { Classifier, ClassifierResult, TextScorer } from '../core/index.js';
import type { Detector, DetectorContext, FailMode, RawFinding } from '../pipeline/types.js';
import { scoredFields, type ScoredField } from './semantic/scored-fields.js';

export interface SemanticJudgeOptions {
  /** What is judged; see the config's `detection.semantic.judge`. */
  judge: 'unsure' | 'descriptions';
  timeoutMs: number;
  failMode: FailMode;
}

export interface SemanticJudgePorts {
  classifier: Classifier;
  /** Without it only `judge: descriptions` sends anything (the descriptions). */
  scorer?: TextScorer;
}

const RULES: Readonly<Record<string, string>> = {
  harmful_capability: 'capability',
  malicious_code: 'malicious-code',
};

function worthAsking(scored: ScoredField, judge: SemanticJudgeOptions['judge']): boolean {
  if (scored.scores.some((s) => s.band === 'flag')) return false;
  if (scored.scores.some((s) => s.band === 'unsure')) return true;
  return judge === 'descriptions' && scored.surface === 'tool_description' && scored.field.path === 'description';
}

function finding(scored: ScoredField, result: ClassifierResult): RawFinding[] {
  if (result.label === 'benign') return [];
  const malicious = result.label === 'malicious';
  const rule = malicious ? (RULES[result.category ?? ''] ?? 'injection') : 'suspicious';
  const why = result.reason ? `: ${result.reason}` : '';
  return [
    {
      rule: `semantic-judge/${rule}`,
      severity: malicious ? 'high' : 'medium',
      path: scored.field.path,
      reason: `the LLM judge finds this ${scored.surface === 'tool_description' ? 'tool description' : 'tool result'} ${result.label} (${result.category ?? 'unspecified'}, confidence ${result.score.toFixed(2)})${why}`,
      match: scored.field.raw.slice(0, 200),
    },
  ];
}

async function judgeAll(asks: readonly ScoredField[], ctx: DetectorContext, classifier: Classifier): Promise<RawFinding[]> {
  const signal = ctx.signal ?? new AbortController().signal;
  const { upstream, tool } = ctx.envelope;
  const results = await Promise.all(
    asks.map((scored) => classifier.classify({ surface: scored.surface, text: scored.text, upstream, ...(tool ? { tool } : {}) }, signal)),
  );
  return asks.flatMap((scored, i) => finding(scored, results[i] as ClassifierResult));
}

export function createSemanticJudgeDetector(options: SemanticJudgeOptions, ports: SemanticJudgePorts): Detector {
  return {
    id: 'semantic-judge',
    phase: 'both',
    methods: ['tools/list', 'tools/call'],
    directions: ['to_client'],
    failMode: options.failMode,
    timeoutMs: options.timeoutMs,
    inspect(ctx) {
      const asks = scoredFields(ctx, ports.scorer).filter((scored) => worthAsking(scored, options.judge));
      return asks.length === 0 ? [] : judgeAll(asks, ctx, ports.classifier);
    },
  };
}
