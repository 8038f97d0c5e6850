/**
 * What the LLM judge did during `watchdog eval --judge` (issue 15: measure the semantic layer's recall
 * when a key exists): a `Classifier` that passes every question on to the real judge and counts the
 * answers — verdicts by label, and failures (timeout, HTTP error, spent budget, a reply that does not
 * parse), which the detector turns into "unjudged" and which therefore never count as a catch. The
 * report adds how many malicious records only the judge flagged.
 */
import { severityRank, type Classifier, type ClassifierInput, type ClassifierResult, type Severity } from '../core/index.js';

/** What `judgeCatches` reads of an outcome (run.ts's `Outcome`, which imports this module). */
interface JudgedOutcome {
  record: { label: 'malicious' | 'benign' };
  prediction?: { flagged: boolean; findings: ReadonlyArray<{ rule: string; severity: Severity }> };
}

export interface JudgeTally {
  model: string;
  /** Questions put to the judge (cache hits of the same text included). */
  asked: number;
  benign: number;
  suspicious: number;
  malicious: number;
  unavailable: number;
  /** Malicious records flagged by `semantic-judge/*` findings alone (set by `judgeCatches`). */
  onlyJudgeCaught: number;
  /** Benign records flagged by `semantic-judge/*` findings alone. */
  onlyJudgeFalsePositives: number;
}

export function emptyJudgeTally(model: string): JudgeTally {
  return { model, asked: 0, benign: 0, suspicious: 0, malicious: 0, unavailable: 0, onlyJudgeCaught: 0, onlyJudgeFalsePositives: 0 };
}

export function countingClassifier(inner: Classifier, tally: JudgeTally): Classifier {
  return {
    async classify(input: ClassifierInput, signal: AbortSignal): Promise<ClassifierResult> {
      tally.asked++;
      try {
        const result = await inner.classify(input, signal);
        tally[result.label]++;
        return result;
      } catch (err) {
        tally.unavailable++;
        throw err;
      }
    },
  };
}

/** Fills in the records whose flag came from the judge alone (every high or critical finding is the judge's). */
export function judgeCatches(tally: JudgeTally, outcomes: readonly JudgedOutcome[]): JudgeTally {
  let caught = 0;
  let falsePositives = 0;
  for (const { record, prediction } of outcomes) {
    if (!prediction?.flagged) continue;
    const flagging = prediction.findings.filter((f) => severityRank(f.severity) >= severityRank('high'));
    if (!flagging.every((f) => f.rule.startsWith('semantic-judge/'))) continue;
    if (record.label === 'malicious') caught++;
    else falsePositives++;
  }
  return { ...tally, onlyJudgeCaught: caught, onlyJudgeFalsePositives: falsePositives };
}

export function formatJudgeTally(t: JudgeTally): string {
  return [
    `LLM judge (${t.model}): ${t.asked} asked — ${t.malicious} malicious, ${t.suspicious} suspicious, ${t.benign} benign, ${t.unavailable} unavailable (not counted as caught)`,
    `  malicious records flagged by the judge alone: ${t.onlyJudgeCaught}; benign records flagged by it alone: ${t.onlyJudgeFalsePositives}`,
  ].join('\n');
}
