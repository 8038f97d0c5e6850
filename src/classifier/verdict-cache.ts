/**
 * The judge's verdict cache (issue 15): one verdict per (model, surface, text), keyed by a SHA-256 of
 * the three, kept `ttlMs` and at most `maxEntries` (the oldest goes first). Only verdicts are cached,
 * never failures: an unavailable judge is asked again next time. In memory: it lives as long as the
 * gateway process (a restart asks again; tool descriptions are few, results rarely repeat).
 */
import { createHash } from 'node:crypto';
import type { ClassifierInput, ClassifierResult, Clock } from '../core/index.js';

export const DEFAULT_CACHE_ENTRIES = 10_000;

export function verdictKey(model: string, input: ClassifierInput): string {
  return createHash('sha256').update(model).update('\0').update(input.surface).update('\0').update(input.text).digest('hex');
}

export class VerdictCache {
  readonly #entries = new Map<string, { result: ClassifierResult; expires: number }>();

  constructor(
    readonly ttlMs: number,
    readonly clock: Clock,
    readonly maxEntries = DEFAULT_CACHE_ENTRIES,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): ClassifierResult | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.clock.now()) return entry.result;
    this.#entries.delete(key);
    return undefined;
  }

  put(key: string, result: ClassifierResult): void {
    this.#entries.delete(key);
    this.#entries.set(key, { result, expires: this.clock.now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
