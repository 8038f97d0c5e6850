/**
 * A token bucket (issue 11, rate guards): holds at most `burst` tokens, refills continuously at
 * `perMinute` per minute, and each admitted event takes one. Pure state and arithmetic, the time handed
 * in, so guards are tested with a manual clock. A refusal says how long until the next token.
 */

export interface BucketLimit {
  perMinute: number;
  burst: number;
}

export interface Bucket {
  tokens: number;
  /** Epoch ms of the last refill. */
  at: number;
}

export function fullBucket(limit: BucketLimit, now: number): Bucket {
  return { tokens: limit.burst, at: now };
}

/**
 * Takes one token: 0 when admitted, else the milliseconds until one is available (at least 1).
 * A limit lowered by a reload applies at once (tokens are capped at the new burst).
 */
export function takeToken(bucket: Bucket, limit: BucketLimit, now: number): number {
  const perMs = limit.perMinute / 60_000;
  bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
  bucket.at = Math.max(bucket.at, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs));
}
