/**
 * The `detection:` part of the one config schema (issue 15): the semantic layer behind the static
 * detectors. Kept beside schema.ts (which composes it), validated and frozen with the rest.
 * - `semantic.scorer`: the local learned scorer (no network, on by default).
 * - `semantic` itself: the optional LLM judge. Nothing is sent anywhere unless `enabled` is true AND an
 *   API key is present (`apiKey`, usually `${ANTHROPIC_API_KEY}`, else the `ANTHROPIC_API_KEY`
 *   environment variable). It is asked only about text the scorer finds suspicious but not sure
 *   (`judge: unsure`), or also about every tool description at listing time (`judge: descriptions`).
 * These settings are read when the gateway starts: a change to them is listed as needing a restart.
 */
import { z } from 'zod';

/** A current Claude Haiku model: cheap and fast enough for a yes/no judgement. */
export const DEFAULT_JUDGE_MODEL = 'claude-haiku-5-5';

const ScorerSchema = z
  .object({
    enabled: z.boolean().default(true).describe('score tool descriptions and tool results with the local learned scorer; default true'),
  })
  .strict();

export const SemanticSchema = z
  .object({
    enabled: z.boolean().default(false).describe('ask the LLM judge (needs an API key); default false: nothing is sent'),
    apiKey: z
      .string()
      .min(1)
      .optional()
      .describe('Anthropic API key, usually "${ANTHROPIC_API_KEY}"; never logged; default: the ANTHROPIC_API_KEY environment variable'),
    model: z.string().min(1).default(DEFAULT_JUDGE_MODEL).describe(`model asked; default ${DEFAULT_JUDGE_MODEL}`),
    baseURL: z.url({ protocol: /^https?$/ }).optional().describe('Messages API base URL (a proxy or gateway); default the Anthropic API'),
    judge: z
      .enum(['unsure', 'descriptions'])
      .default('unsure')
      .describe('what is judged: text the local scorer finds suspicious but not sure (unsure), or that plus every tool description at listing time (descriptions); default unsure'),
    timeoutMs: z.number().int().min(100).max(60_000).default(3000).describe('how long one judgement may take before the message goes on unjudged; default 3000'),
    failMode: z
      .enum(['open', 'closed'])
      .default('open')
      .describe('when the judge is unavailable (timeout, HTTP error, budget spent, an answer that does not parse): open delivers with an info finding, closed blocks; default open'),
    maxConcurrent: z.number().int().positive().default(4).describe('judgements in flight at once; default 4'),
    perMinute: z.number().int().positive().default(60).describe('judgements started per minute at most (cache hits are free); beyond it a judgement is unavailable; default 60'),
    cacheTtlSeconds: z
      .number()
      .positive()
      .default(86_400)
      .describe('how long a verdict is reused for the same text and model, across restarts (kept in gateway.store); default 86400 (a day)'),
    cacheEntries: z.number().int().positive().default(10_000).describe('verdicts kept at most (the least recently judged go first); default 10000'),
    scorer: ScorerSchema.default({ enabled: true }).describe('the local learned scorer; default on'),
  })
  .strict();

export const DetectionSchema = z
  .object({
    semantic: SemanticSchema.default(() => SemanticSchema.parse({})).describe('the semantic layer: local scorer (on) and LLM judge (off); default scorer only'),
  })
  .strict();

export type SemanticConfig = z.infer<typeof SemanticSchema>;
export type DetectionConfig = z.infer<typeof DetectionSchema>;
