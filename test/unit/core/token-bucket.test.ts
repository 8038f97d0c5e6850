import { describe, expect, it } from 'vitest';
import { fullBucket, takeToken } from '../../../src/core/index.js';

describe('token bucket', () => {
  const limit = { perMinute: 60, burst: 3 };

  it('admits a burst, then refuses with the time to the next token, and refills at the rate', () => {
    const bucket = fullBucket(limit, 0);
    expect([takeToken(bucket, limit, 0), takeToken(bucket, limit, 0), takeToken(bucket, limit, 0)]).toEqual([0, 0, 0]);
    expect(takeToken(bucket, limit, 0)).toBe(1000);
    expect(takeToken(bucket, limit, 400)).toBe(600);
    expect(takeToken(bucket, limit, 1000)).toBe(0);
    expect(takeToken(bucket, limit, 1000)).toBe(1000);
  });

  it('never holds more than the burst, and a lowered burst applies at once', () => {
    const bucket = fullBucket(limit, 0);
    takeToken(bucket, limit, 3_600_000);
    expect(bucket.tokens).toBe(2);
    const lower = { perMinute: 60, burst: 1 };
    expect(takeToken(bucket, lower, 3_600_000)).toBe(0);
    expect(takeToken(bucket, lower, 3_600_000)).toBe(1000);
  });

  it('does not refill when time runs backwards', () => {
    const bucket = fullBucket({ perMinute: 60, burst: 1 }, 5000);
    expect(takeToken(bucket, { perMinute: 60, burst: 1 }, 5000)).toBe(0);
    expect(takeToken(bucket, { perMinute: 60, burst: 1 }, 1000)).toBe(1000);
  });
});
