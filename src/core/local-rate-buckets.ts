/**
 * Rate buckets in this process's memory (the `RateBuckets` port for a gateway on SQLite or memory
 * stores, the notification buckets of every gateway, and the fallback of the shared ones while their
 * server is away). Bounded: past `maxBuckets()` (read on every take, so a reload applies) the least
 * recently used bucket is dropped; a dropped bucket starts full again, which only ever favours the caller.
 */
import type { RateBuckets, RateTake } from './ports/rate-buckets.js';
import { type Bucket, type BucketLimit, fullBucket, takeToken } from './token-bucket.js';

export class LocalRateBuckets implements RateBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly maxBuckets: () => number) {}

  /** The synchronous take (notifications are admitted inline, where nothing may wait). */
  takeNow(key: string, limit: BucketLimit, now: number): RateTake {
    const bucket = this.#buckets.get(key) ?? fullBucket(limit, now);
    // Re-inserted on every use: the Map's order is then least recently used first.
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    const max = this.maxBuckets();
    while (this.#buckets.size > max) this.#buckets.delete(this.#buckets.keys().next().value as string);
    const wait = takeToken(bucket, limit, now);
    return wait === 0 ? { admitted: true } : { admitted: false, retryAfterMs: wait };
  }

  async take(key: string, limit: BucketLimit, now: number): Promise<RateTake> {
    return this.takeNow(key, limit, now);
  }

  size(): number {
    return this.#buckets.size;
  }
}
