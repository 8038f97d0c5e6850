/** The one contract every `VerdictStore` keeps (run against SQLite and the in-memory twin by stores.test.ts). */
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_VERDICT_REASON, type ClassifierResult, type VerdictStore } from '../../src/core/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Built, Make } from './store-harness.js';

const HOUR = 3_600_000;
const MALICIOUS: ClassifierResult = { label: 'malicious', score: 0.93, category: 'injection', reason: 'an unrelated task appended to the e-mail' };

export function verdictStoreContract(name: string, make: Make<VerdictStore>): void {
  describe(`VerdictStore contract: ${name}`, () => {
    let clock: ManualClock;
    let built: Built<VerdictStore> | undefined;
    const open = (maxEntries = 100, ttlMs = HOUR): VerdictStore => {
      clock = new ManualClock();
      built = make({ maxEntries, ttlMs, clock, pruneEvery: 1 });
      return built.store;
    };
    afterEach(() => built?.close());

    test('an unknown key reads as absent', () => {
      const store = open();
      expect(store.get('k')).toBeUndefined();
      expect(store.size()).toBe(0);
    });

    test('a verdict reads back with its four fields, and a later one replaces it', () => {
      const store = open();
      store.put('k', MALICIOUS, clock.now());
      expect(store.get('k')).toEqual(MALICIOUS);
      store.put('k', { label: 'benign', score: 0.8 }, clock.now());
      expect(store.get('k')).toEqual({ label: 'benign', score: 0.8 });
      expect(store.size()).toBe(1);
    });

    test('only the verdict fields are kept, the reason bounded', () => {
      const store = open();
      const extra = { ...MALICIOUS, reason: 'r'.repeat(MAX_VERDICT_REASON + 50), text: 'the judged text' } as ClassifierResult;
      store.put('k', extra, clock.now());
      const read = store.get('k');
      expect(Object.keys(read ?? {}).sort()).toEqual(['category', 'label', 'reason', 'score']);
      expect(read?.reason).toHaveLength(MAX_VERDICT_REASON);
    });

    test('a verdict is live up to its time-to-live and absent after it', () => {
      const store = open(100, HOUR);
      store.put('k', MALICIOUS, clock.now());
      clock.advance(HOUR);
      expect(store.get('k')).toEqual(MALICIOUS);
      clock.advance(1);
      expect(store.get('k')).toBeUndefined();
      expect(store.size()).toBe(0);
    });

    test('the time-to-live counts from the time the verdict was written', () => {
      const store = open(100, HOUR);
      store.put('old', MALICIOUS, clock.now() - HOUR - 1);
      store.put('new', MALICIOUS, clock.now() - HOUR + 1);
      expect(store.get('old')).toBeUndefined();
      expect(store.get('new')).toEqual(MALICIOUS);
    });

    test('holds at most maxEntries verdicts, dropping the least recently written', () => {
      const store = open(2);
      store.put('a', MALICIOUS, clock.now());
      store.put('b', MALICIOUS, clock.now());
      store.put('a', { label: 'benign', score: 0.7 }, clock.now());
      store.put('c', MALICIOUS, clock.now());
      expect(store.size()).toBe(2);
      expect(store.get('b')).toBeUndefined();
      expect(store.get('a')?.label).toBe('benign');
      expect(store.get('c')).toEqual(MALICIOUS);
    });

    test('what a caller holds is a copy', () => {
      const store = open();
      const mine = { ...MALICIOUS };
      store.put('k', mine, clock.now());
      mine.label = 'benign';
      (store.get('k') as ClassifierResult).score = 0;
      expect(store.get('k')).toEqual(MALICIOUS);
    });
  });
}
