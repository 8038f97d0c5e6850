/**
 * The LLM judge (issue 15) on the `Classifier` port, through the real `@anthropic-ai/sdk` — the only
 * module that imports it. One Messages API call per judgement: the text as delimited data
 * (judge-prompt.ts), the answer forced through one tool and validated. Verdicts are cached by content
 * hash and model in the `VerdictStore` handed in (verdict-key.ts; SQLite in the gateway, so a restart
 * does not ask again); concurrent asks for the same text share one request; spending is
 * bounded (judge-limits.ts). The SDK retries nothing (the detector's deadline is the only clock) and
 * logs through the logger handed in, never to stdout (which belongs to JSON-RPC in stdio mode).
 * Every failure becomes a `JudgeUnavailable` whose message is ours — an HTTP status, "timed out",
 * "did not parse" — never the server's body or the request's headers, so the API key cannot reach a
 * finding or a log line, even from a proxy that echoes it. The SDK is imported when a judge is built
 * (the judge on, with a key), not when this module loads: an idle gateway without the judge never holds
 * its few hundred modules (issue 14, idle memory).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { systemClock, type Classifier, type ClassifierInput, type ClassifierResult, type Clock, type VerdictStore } from '../core/index.js';
import { JudgeLimits } from './judge-limits.js';
import { judgeRequest, readVerdict, VERDICT_SCHEMA, VERDICT_TOOL } from './judge-prompt.js';
import { verdictKey } from './verdict-key.js';

export interface AnthropicJudgeOptions {
  apiKey: string;
  model: string;
  /** Default: the SDK's (the Anthropic API). */
  baseURL?: string;
  /** Per request, in ms (the detector's deadline aborts sooner when it is shorter). */
  timeoutMs: number;
  maxConcurrent: number;
  perMinute: number;
  /** Where verdicts are kept and found again; its bounds are the cache's (time-to-live, entries). */
  verdicts: VerdictStore;
  /** Default the system clock. */
  clock?: Clock;
  /** Where the SDK's own warnings go (message text only); default nowhere. */
  warn?: (message: string) => void;
}

/** The judge could not answer; the detector's fail mode decides what happens to the message. */
export class JudgeUnavailable extends Error {
  constructor(why: string) {
    super(`judge unavailable: ${why}`);
    this.name = 'JudgeUnavailable';
  }
}

type Sdk = typeof import('@anthropic-ai/sdk');

/** Our own words for a failure: never the server's body, never a header. `sdk` is absent when it failed to load. */
function unavailable(err: unknown, sdk: Sdk | undefined): JudgeUnavailable {
  if (err instanceof JudgeUnavailable) return err;
  if (!sdk) return new JudgeUnavailable('unexpected failure');
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (err instanceof APIUserAbortError) return new JudgeUnavailable('aborted');
  if (err instanceof APIConnectionTimeoutError) return new JudgeUnavailable('timed out');
  if (err instanceof APIConnectionError) return new JudgeUnavailable('cannot connect');
  if (err instanceof APIError) return new JudgeUnavailable(`HTTP ${String(err.status)}`);
  if (err instanceof Error && err.message.includes(VERDICT_TOOL)) return new JudgeUnavailable(`the reply did not parse (${err.message})`);
  return new JudgeUnavailable('unexpected failure');
}

export class AnthropicJudge implements Classifier {
  readonly #sdk: Promise<Sdk>;
  readonly #client: Promise<Anthropic>;
  readonly #clock: Clock;
  readonly #limits: JudgeLimits;
  readonly #inflight = new Map<string, Promise<ClassifierResult>>();

  constructor(readonly options: AnthropicJudgeOptions) {
    const clock = options.clock ?? systemClock;
    this.#clock = clock;
    const say = (message: unknown) => options.warn?.(String(message));
    this.#sdk = import('@anthropic-ai/sdk');
    this.#client = this.#sdk.then(
      ({ default: AnthropicClient }) =>
        new AnthropicClient({
          apiKey: options.apiKey,
          baseURL: options.baseURL ?? null,
          timeout: options.timeoutMs,
          maxRetries: 0,
          logLevel: 'warn',
          logger: { error: say, warn: say, info: () => {}, debug: () => {} },
          openTelemetry: false,
        }),
    );
    // A failed import surfaces as each judgement's failure, never as an unhandled rejection.
    this.#client.catch(() => {});
    this.#limits = new JudgeLimits(options.maxConcurrent, options.perMinute, clock);
  }

  /** Verdicts held in the cache. */
  get cached(): number {
    return this.options.verdicts.size();
  }

  classify(input: ClassifierInput, signal: AbortSignal): Promise<ClassifierResult> {
    const key = verdictKey(this.options.model, input);
    const hit = this.#cached(key);
    if (hit) return Promise.resolve(hit);
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    if (!this.#limits.spend()) return Promise.reject(new JudgeUnavailable(`more than ${this.options.perMinute} judgements this minute`));
    const asked = this.#limits
      .run(() => this.#ask(input, signal), signal)
      .then((result) => {
        this.#keep(key, result);
        return result;
      })
      .catch(async (err: unknown) => {
        throw unavailable(err, await this.#sdk.catch(() => undefined));
      })
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, asked);
    return asked;
  }

  /** A cache that cannot be read is a miss (the judge is asked), never a failed judgement. */
  #cached(key: string): ClassifierResult | undefined {
    try {
      return this.options.verdicts.get(key);
    } catch (err) {
      this.options.warn?.(`reading the verdict cache failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** A verdict that cannot be cached is still the answer. */
  #keep(key: string, result: ClassifierResult): void {
    try {
      this.options.verdicts.put(key, result, this.#clock.now());
    } catch (err) {
      this.options.warn?.(`writing the verdict cache failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async #ask(input: ClassifierInput, signal: AbortSignal): Promise<ClassifierResult> {
    const { system, user } = judgeRequest(input);
    const client = await this.#client;
    const reply = await client.messages.create(
      {
        model: this.options.model,
        max_tokens: 400,
        system,
        messages: [{ role: 'user', content: user }],
        tools: [{ name: VERDICT_TOOL, description: 'Record the verdict on the text between the data markers.', input_schema: VERDICT_SCHEMA }],
        tool_choice: { type: 'tool', name: VERDICT_TOOL },
      },
      { signal, timeout: this.options.timeoutMs, maxRetries: 0 },
    );
    return readVerdict(reply.content);
  }
}
