/**
 * The classifiers (issue 15): the local learned scorer (implements `TextScorer`) and the remote LLM
 * judge (implements `Classifier`; the only importer of `@anthropic-ai/sdk`). The root builds them from
 * the config and hands them to detectors through the ports.
 */
export { featureBuckets, MIN_SEGMENT_CHARS, windowsOf, WINDOW_CHARS } from './ngram-features.js';
export type { Window } from './ngram-features.js';
export { decodeModel, encodeModel, HEAD_NAMES } from './scorer-model.js';
export type { HeadHeader, HeadName, ModelHeader, ScorerModel } from './scorer-model.js';
export { DEFAULT_MODEL_FILE, LocalScorer, loadLocalScorer } from './local-scorer.js';
export { AnthropicJudge, JudgeUnavailable } from './anthropic-judge.js';
export type { AnthropicJudgeOptions } from './anthropic-judge.js';
export { judgeRequest, MAX_JUDGED_CHARS, readVerdict, VERDICT_SCHEMA, VERDICT_TOOL } from './judge-prompt.js';
export { JudgeLimits } from './judge-limits.js';
export { verdictKey } from './verdict-key.js';
