/**
 * Corpus evaluation: read labelled records, run them through the gateway's pipeline, compute recall and
 * false positives, and check them against the committed burn-down baseline. Used by `watchdog eval`.
 */
export { readCorpus, parseRecord, parseSchema } from './corpus.js';
export type { CorpusRecord, Surface } from './corpus.js';
export { parsePythonLiteral } from './python-literal.js';
export { runRecords, envelopeFor, evalInspection, evalPipeline } from './run.js';
export type { EvalInspection, EvalOptions, Outcome, Prediction } from './run.js';
export { countingClassifier, emptyJudgeTally, formatJudgeTally, judgeCatches } from './judge-tally.js';
export type { JudgeTally } from './judge-tally.js';
export { buildReport, targetRows, formatTable, pct } from './metrics.js';
export type { Report, Tally } from './metrics.js';
export { checkBaseline, currentErrors, parseBaseline, formatBaseline, recordKey } from './baseline.js';
export type { Baseline, BaselineCheck } from './baseline.js';
