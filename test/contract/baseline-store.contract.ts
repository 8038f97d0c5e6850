/** The one contract every `BaselineStore` keeps (run against SQLite and the in-memory twin by stores.test.ts). */
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_FEATURES, RECENT_WINDOW, type Baseline, type BaselineStore } from '../../src/core/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Built, Make } from './store-harness.js';

const DAY = 86_400_000;

export function baselineStoreContract(name: string, make: Make<BaselineStore>): void {
  describe(`BaselineStore contract: ${name}`, () => {
    let clock: ManualClock;
    let built: Built<BaselineStore> | undefined;
    const open = (maxEntries = 100, ttlMs = 7 * DAY): BaselineStore => {
      clock = new ManualClock();
      built = make({ maxEntries, ttlMs, clock, pruneEvery: 1 });
      return built.store;
    };
    afterEach(() => built?.close());

    test('an unknown key reads as absent', () => {
      expect(open().get('k')).toBeUndefined();
    });

    test('the first sample creates the baseline', () => {
      const store = open();
      const t = clock.now();
      const created = store.update('fs/read_file', { bytes: 120, urls: 0 }, t);
      expect(created).toEqual({ samples: 1, firstSeen: t, lastSeen: t, features: { bytes: { count: 1, mean: 120, m2: 0, min: 120, max: 120 }, urls: { count: 1, mean: 0, m2: 0, min: 0, max: 0 } } });
      expect(store.get('fs/read_file')).toEqual(created);
      expect(store.size()).toBe(1);
    });

    test('feature names that are Object.prototype members are features like any other (issue 7, item 1)', () => {
      const store = open();
      const sample = JSON.parse('{"__proto__": 3, "constructor": 4, "toString": 5}') as Record<string, number>;
      store.update('k', sample, clock.now());
      const b = store.update('k', sample, clock.now() + 1);
      for (const name of ['__proto__', 'constructor', 'toString']) {
        expect(Object.hasOwn(b.features, name), name).toBe(true);
        expect(b.features[name]?.count, name).toBe(2);
      }
      expect(Object.hasOwn(Object.prototype, 'count')).toBe(false);
      expect(Object.keys(store.get('k')?.features ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    });

    test('samples fold into the mean, variance, min and max', () => {
      const store = open();
      const values = [2, 4, 4, 4, 5, 5, 7, 9];
      values.forEach((v, i) => store.update('k', { v }, clock.now() + i));
      const b = store.get('k') as Baseline;
      const stats = b.features.v!;
      expect(b.samples).toBe(8);
      expect(b.lastSeen).toBe(clock.now() + 7);
      expect(stats.mean).toBeCloseTo(5, 12);
      expect(stats.m2 / (stats.count - 1)).toBeCloseTo(32 / 7, 12);
      expect([stats.min, stats.max]).toEqual([2, 9]);
    });

    test('non-finite values, over-long names and features past the cap are ignored', () => {
      const store = open();
      const sample: Record<string, number> = { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ['n'.repeat(65)]: 1 };
      for (let i = 0; i < MAX_FEATURES + 10; i++) sample[`f${i}`] = i;
      const b = store.update('k', sample, clock.now());
      expect(Object.keys(b.features)).toHaveLength(MAX_FEATURES);
      expect(b.features.nan).toBeUndefined();
      expect(b.features.inf).toBeUndefined();
      expect(store.update('k', { late: 1 }, clock.now()).features.late).toBeUndefined();
    });

    test('holds at most maxEntries baselines, dropping the least recently updated', () => {
      const store = open(2);
      store.update('a', { v: 1 }, clock.now());
      store.update('b', { v: 1 }, clock.now());
      store.update('a', { v: 2 }, clock.now());
      store.update('c', { v: 1 }, clock.now());
      expect(store.size()).toBe(2);
      expect(store.get('b')).toBeUndefined();
      expect(store.get('a')?.samples).toBe(2);
    });

    test('a baseline not updated for the time-to-live is gone and starts over', () => {
      const store = open(100, DAY);
      store.update('k', { v: 100 }, clock.now());
      clock.advance(DAY + 1);
      expect(store.get('k')).toBeUndefined();
      expect(store.size()).toBe(0);
      const fresh = store.update('k', { v: 1 }, clock.now());
      expect(fresh.samples).toBe(1);
      expect(fresh.firstSeen).toBe(clock.now());
      expect(fresh.features.v?.mean).toBe(1);
    });

    test('what a caller holds is a copy', () => {
      const store = open();
      const b = store.update('k', { v: 1 }, clock.now());
      b.features.v!.mean = 999;
      (store.get('k') as Baseline).samples = 50;
      expect(store.get('k')).toMatchObject({ samples: 1, features: { v: { mean: 1 } } });
    });

    test('a ~feature keeps its last RECENT_WINDOW values, oldest first, beside its running statistics', () => {
      const store = open();
      for (let i = 0; i < RECENT_WINDOW + 5; i++) store.update('k', { '~size': i, calls: 1 }, clock.now() + i);
      const b = store.get('k') as Baseline;
      expect(b.recent).toEqual({ '~size': Array.from({ length: RECENT_WINDOW }, (_, i) => i + 5) });
      expect(b.features['~size']?.count).toBe(RECENT_WINDOW + 5);
      expect(Object.keys(b.recent ?? {})).toEqual(['~size']);
    });
  });
}
