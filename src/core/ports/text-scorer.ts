/**
 * Port: a local, synchronous scorer of text (issue 15) — a small learned model that says how much a
 * tool description or a tool result reads like an injection, and how much a description offers a
 * harmful capability. Unlike the `Classifier` it runs in-process, needs no network and answers in
 * microseconds, so a detector may call it on every message. The scorer finds the window of the text
 * that scores highest and says where it is, so a finding can point at it.
 */

/** Which question is asked of the text: injection in a description, injection in a result, harmful capability of a tool. */
export type ScorerHead = 'description' | 'response' | 'capability';

export interface ScorerThresholds {
  /** At or above: a finding on its own. */
  flag: number;
  /** At or above (and below `flag`): suspicious but unsure. */
  unsure: number;
}

export interface ScoredWindow {
  /** Probability 0..1 of the highest-scoring window. */
  score: number;
  /** That window, `[start, end)` in UTF-16 units of the scored text. */
  start: number;
  end: number;
}

export interface TextScorer {
  /** The thresholds the model was calibrated with (kept in the model file). */
  thresholds(head: ScorerHead): ScorerThresholds;
  score(text: string, head: ScorerHead): ScoredWindow;
}
