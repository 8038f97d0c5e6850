/**
 * Port: rate buckets (issue 11, shared by replicas in issue 16) — token buckets by key, each holding at
 * most `burst` tokens and refilling at `perMinute` per minute (core/token-bucket.ts). `take` spends one
 * token or says how long until one is free. The in-memory implementation (core/local-rate-buckets.ts)
 * serves a single gateway; the Valkey/Redis one (store/redis/rate-buckets.ts) lets every replica draw
 * from one bucket, so a limit holds across a load balancer rather than once per replica.
 * The time is handed in (a replica's clock, or a test's manual one); a bucket never refills backwards.
 */
import type { BucketLimit } from '../token-bucket.js';

/** Admitted, or refused with the milliseconds until a token is free (at least 1). */
export type RateTake = { admitted: true } | { admitted: false; retryAfterMs: number };

export interface RateBuckets {
  take(key: string, limit: BucketLimit, now: number): Promise<RateTake>;
  /** Buckets held here (for a shared implementation: its local fallback's). */
  size(): number;
}
