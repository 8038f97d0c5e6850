/**
 * The root's half of the semantic layer (issue 15): builds the LLM judge and the local scorer that the
 * config asks for, as the `classifier` and `scorer` ports. The judge exists only when
 * `detection.semantic.enabled` is true and an API key is present (`apiKey` in the config, else the
 * `ANTHROPIC_API_KEY` environment variable): otherwise nothing is ever sent. The key goes to the SDK
 * client and nowhere else — not into a log line, a finding or the status document.
 * The judge keeps its verdicts in the `VerdictStore` handed in: the gateway's SQLite file (app.ts), so
 * a restart does not ask again; without one (scan, eval) a memory store with the same bounds.
 */
import type { Logger } from 'pino';
import { AnthropicJudge, loadLocalScorer } from './classifier/index.js';
import type { DetectionConfig } from './config/index.js';
import { systemClock, type Classifier, type Clock, type TextScorer, type VerdictStore } from './core/index.js';
import { MemoryVerdictStore } from './store/index.js';

export const API_KEY_VARIABLE = 'ANTHROPIC_API_KEY';

export interface SemanticDeps {
  /** Where the API key may come from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  log?: Pick<Logger, 'warn'>;
  clock?: Clock;
  /** The scorer to use instead of loading the committed model (tests, or one loaded earlier). */
  scorer?: TextScorer;
  /** Where the judge keeps its verdicts; default a memory store bounded by `verdictRetention`. */
  verdicts?: VerdictStore;
}

export interface SemanticPorts {
  classifier?: Classifier;
  scorer?: TextScorer;
}

/** The verdict cache's bounds from the config: `cacheTtlSeconds` and `cacheEntries`. */
export function verdictRetention(detection: DetectionConfig, clock: Clock): { ttlMs: number; maxEntries: number; clock: Clock } {
  return { ttlMs: detection.semantic.cacheTtlSeconds * 1000, maxEntries: detection.semantic.cacheEntries, clock };
}

/** The judge, or undefined when it is off or has no key (with a warning for the latter). */
export function judgeFromConfig(detection: DetectionConfig, deps: SemanticDeps = {}): Classifier | undefined {
  const semantic = detection.semantic;
  if (!semantic.enabled) return undefined;
  const apiKey = semantic.apiKey ?? (deps.env ?? process.env)[API_KEY_VARIABLE];
  if (!apiKey) {
    deps.log?.warn(`detection.semantic.enabled is true but there is no API key (detection.semantic.apiKey or ${API_KEY_VARIABLE}); the LLM judge is off`);
    return undefined;
  }
  return new AnthropicJudge({
    apiKey,
    model: semantic.model,
    ...(semantic.baseURL ? { baseURL: semantic.baseURL } : {}),
    timeoutMs: semantic.timeoutMs,
    maxConcurrent: semantic.maxConcurrent,
    perMinute: semantic.perMinute,
    verdicts: deps.verdicts ?? new MemoryVerdictStore(verdictRetention(detection, deps.clock ?? systemClock)),
    clock: deps.clock ?? systemClock,
    warn: (message) => deps.log?.warn({ component: 'llm-judge' }, message),
  });
}

/** The ports of the semantic layer the config asks for; the scorer model is read from disk once here. */
export function semanticPorts(detection: DetectionConfig, deps: SemanticDeps = {}): SemanticPorts {
  const classifier = judgeFromConfig(detection, deps);
  const scorer = detection.semantic.scorer.enabled ? (deps.scorer ?? loadLocalScorer()) : undefined;
  return { ...(classifier ? { classifier } : {}), ...(scorer ? { scorer } : {}) };
}
