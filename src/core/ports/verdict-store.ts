/**
 * Port: the LLM judge's verdict cache (issue 15: "verdicts cached in SQLite by content hash and model
 * with a TTL; survives restarts"). A verdict is kept under a key the judge derives from the model, the
 * surface and the text (a SHA-256 digest), so an implementation never sees the text and stores only
 * the key, the verdict's fields and when it was written. Only verdicts are put, never failures: an
 * unavailable judge is asked again next time.
 * Bounded by implementations, as the state stores are: at most `maxEntries` verdicts (the least
 * recently written go first), and a verdict written at `at` is live up to and including `at + ttlMs`
 * (the configured `detection.semantic.cacheTtlSeconds`), then reads as absent.
 */
import type { ClassifierResult } from './classifier.js';

export interface VerdictStore {
  /** The live verdict under `key`, or undefined. */
  get(key: string): ClassifierResult | undefined;
  /** Keeps `verdict` under `key`, written at `at` (epoch ms); replaces an earlier one. */
  put(key: string, verdict: ClassifierResult, at: number): void;
  /** Live verdicts held. */
  size(): number;
}

/** Longest reason kept with a verdict, in UTF-16 units (the judge's is one short sentence). */
export const MAX_VERDICT_REASON = 300;

/** The verdict as both implementations keep it: only the four fields, the reason bounded. */
export function keptVerdict(verdict: ClassifierResult): ClassifierResult {
  const { label, score, category, reason } = verdict;
  return { label, score, ...(category === undefined ? {} : { category }), ...(reason === undefined ? {} : { reason: reason.slice(0, MAX_VERDICT_REASON) }) };
}
