/**
 * The one contract every `RateBuckets` keeps (run by stores.test.ts against the in-memory buckets and
 * the shared ones on a real redis-server, where the takes alternate between two replicas: every
 * expectation below then also says the replicas draw from one bucket).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { RateBuckets } from '../../src/core/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Built } from './store-harness.js';

const LIMIT = { perMinute: 60, burst: 3 };

export function rateBucketsContract(name: string, make: () => Built<RateBuckets>): void {
  describe(`RateBuckets contract: ${name}`, () => {
    let built: Built<RateBuckets> | undefined;
    const clock = new ManualClock();
    const open = (): RateBuckets => {
      built = make();
      return built.store;
    };
    afterEach(() => built?.close());
    const takes = async (b: RateBuckets, key: string, n: number, limit = LIMIT) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await b.take(key, limit, clock.now()));
      return out;
    };

    test('a new bucket admits its burst, then refuses with the time until the next token', async () => {
      const b = open();
      expect(await takes(b, 'k', 4)).toEqual([{ admitted: true }, { admitted: true }, { admitted: true }, { admitted: false, retryAfterMs: 1000 }]);
    });

    test('tokens refill with time, partly and up to the burst only', async () => {
      const b = open();
      await takes(b, 'k', 3);
      clock.advance(400);
      expect(await b.take('k', LIMIT, clock.now())).toEqual({ admitted: false, retryAfterMs: 600 });
      clock.advance(600);
      expect(await takes(b, 'k', 2)).toEqual([{ admitted: true }, { admitted: false, retryAfterMs: 1000 }]);
      clock.advance(3_600_000);
      expect((await takes(b, 'k', 4)).map((t) => t.admitted)).toEqual([true, true, true, false]);
    });

    test('keys are separate buckets', async () => {
      const b = open();
      await takes(b, 'a', 3);
      expect(await b.take('a', LIMIT, clock.now())).toMatchObject({ admitted: false });
      expect(await b.take('b', LIMIT, clock.now())).toEqual({ admitted: true });
    });

    test('a lowered burst applies at once; a clock behind the bucket refills nothing', async () => {
      const b = open();
      await takes(b, 'k', 1);
      // Two tokens left, capped at the new burst of one.
      expect((await takes(b, 'k', 2, { perMinute: 60, burst: 1 })).map((t) => t.admitted)).toEqual([true, false]);
      expect(await b.take('k', LIMIT, clock.now() - 5000)).toEqual({ admitted: false, retryAfterMs: 1000 });
    });
  });
}
