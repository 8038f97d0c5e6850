/**
 * The flow store's in-memory index (flow-index.ts) past the sizes the contract suite reaches: its arrays
 * are compacted as they fill, refreshes move a pair to the newest end, and the bound drops the oldest
 * pairs — checked against a plain model of the same writes.
 */
import { expect, test } from 'vitest';
import { FlowIndex } from '../../../src/store/flow-index.js';
import { keyOf } from '../../../src/store/fingerprint-table.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** The key lanes of fingerprints, as `rememberAll` returns them. */
function keysOf(fingerprints: readonly string[]): Int32Array {
  const out = new Int32Array(2 * fingerprints.length);
  fingerprints.forEach((fp, k) => keyOf(fp, out.subarray(2 * k, 2 * k + 2)));
  return out;
}

test('after thousands of writes, refreshes and compactions the index holds exactly the newest maxEntries pairs', () => {
  const clock = new ManualClock();
  const index = new FlowIndex({ maxEntries: 1500, ttlMs: 3_600_000, pruneEvery: 1000, clock });
  const [a, b] = ['a', 'b'].map((upstream) => JSON.stringify({ upstream, method: 'tools/call' })) as [string, string];
  const model = new Map<string, number>();
  for (let i = 0; i < 6000; i++) {
    // Every third write refreshes an earlier pair; the rest are new.
    const fp = i % 3 === 0 ? `f${Math.floor(i / 2)}` : `f${i}`;
    const origin = i % 5 === 0 ? b : a;
    index.remember(origin, fp, clock.now());
    const key = `${fp}/${origin}`;
    model.delete(key);
    model.set(key, i);
    if (model.size > 1500) model.delete(model.keys().next().value as string);
  }
  expect(index.size()).toBe(1500);
  const fingerprints = [...new Set([...model.keys()].map((k) => k.split('/')[0] as string))];
  const hits = index.lookup(fingerprints, { limit: 10_000 });
  expect(hits).toHaveLength(1500);
  const newest = [...model.keys()].reverse();
  expect(hits.map((h) => `${h.fingerprint}/${JSON.stringify(h.origin)}`)).toEqual(newest);
  expect(index.lookup(['f1'], { limit: 10 })).toEqual([]);
});

test('expired pairs are neither found nor counted, and their slots are dropped as writes go by', () => {
  const clock = new ManualClock();
  const index = new FlowIndex({ maxEntries: 100, ttlMs: 1000, pruneEvery: 1000, clock });
  const id = JSON.stringify({ upstream: 'a', method: 'tools/call' });
  index.remember(id, 'old', clock.now());
  clock.advance(1001);
  index.remember(id, 'new', clock.now());
  expect(index.lookup(['old', 'new'], {}).map((h) => h.fingerprint)).toEqual(['new']);
  expect(index.size()).toBe(1);
});

test('a fingerprint repeated within one call is one pair and its key is returned once; a later call refreshes it', () => {
  const clock = new ManualClock();
  const index = new FlowIndex({ maxEntries: 100, ttlMs: 60_000, pruneEvery: 1000, clock });
  const id = JSON.stringify({ upstream: 'a', method: 'tools/call' });
  expect(index.rememberAll(id, ['x', 'y', 'x', 'y', 'z'], clock.now())).toEqual(keysOf(['x', 'y', 'z']));
  expect(index.size()).toBe(3);
  clock.advance(10);
  expect(index.rememberAll(id, ['x', 'x'], clock.now())).toEqual(keysOf(['x']));
  expect(index.size()).toBe(3);
  expect(index.lookup(['x', 'y', 'z'], {}).map((h) => h.fingerprint)).toEqual(['x', 'z', 'y']);
});

test('repeats within a call are still recognised when the call itself fills the ring and compacts it', () => {
  const clock = new ManualClock();
  const index = new FlowIndex({ maxEntries: 3000, ttlMs: 60_000, pruneEvery: 1000, clock });
  const id = JSON.stringify({ upstream: 'a', method: 'tools/call' });
  // 900 refreshes of one fingerprint leave dead slots; the next call's 1200 fingerprints, each twice, fill and compact the ring.
  for (let i = 0; i < 900; i++) index.rememberAll(id, ['r'], clock.now());
  const batch = Array.from({ length: 1200 }, (_, i) => `f${i}`);
  expect(index.rememberAll(id, [...batch, ...batch], clock.now())).toEqual(keysOf(batch));
  expect(index.size()).toBe(1201);
});

test('a fingerprint asked twice in one lookup is answered once; hits come newest first within the limit', () => {
  const clock = new ManualClock();
  const index = new FlowIndex({ maxEntries: 1000, ttlMs: 60_000, pruneEvery: 1000, clock });
  const [a, b] = ['a', 'b'].map((upstream) => JSON.stringify({ upstream, method: 'tools/call' })) as [string, string];
  index.rememberAll(a, ['x', 'y'], clock.now());
  index.rememberAll(b, ['x'], clock.now());
  index.rememberAll(a, ['z'], clock.now());
  const seen = (fps: string[], limit = 100) => index.lookup(fps, { limit }).map((h) => `${h.fingerprint}/${h.origin.upstream}`);
  expect(seen(['x', 'y', 'x', 'z', 'y'])).toEqual(['z/a', 'x/b', 'y/a', 'x/a']);
  expect(seen(['y', 'x', 'y', 'x'], 2)).toEqual(['x/b', 'y/a']);
});
