/**
 * `BoundedMap` keeps at most `maxEntries`, evicting the least recently written first (issue 16: eviction
 * resumes from a kept iterator instead of walking the Map's holes from the start on every write). The
 * order must hold however writes, re-writes, deletions and evictions interleave; `onEvict` hears of every
 * entry evicted or replaced.
 */
import { describe, expect, test } from 'vitest';
import { BoundedMap } from '../../../src/store/bounded-map.js';
import { retention } from '../../../src/store/retention.js';
import { ManualClock } from '../../helpers/manual-clock.js';

function bounded(maxEntries: number) {
  const clock = new ManualClock(1_000);
  const evicted: string[] = [];
  const map = new BoundedMap<number>(retention({ maxEntries, ttlMs: 60_000 }, { maxEntries, ttlMs: 60_000 }, clock), (key) => evicted.push(key));
  return { map, evicted, keys: () => map.newestFirst().map(([key]) => key).reverse() };
}

describe('BoundedMap eviction', () => {
  test('evicts the least recently written; a re-written key moves to the newest end', () => {
    const { map, evicted, keys } = bounded(3);
    for (const k of ['a', 'b', 'c', 'd']) map.set(k, 0, 1_000);
    expect(keys()).toEqual(['b', 'c', 'd']);
    map.set('b', 1, 1_000);
    map.set('e', 0, 1_000);
    expect(keys()).toEqual(['d', 'b', 'e']);
    expect(evicted).toEqual(['a', 'b', 'c']);
  });

  test('the order holds over many writes, re-writes and deletions against a reference list', () => {
    const { map, keys } = bounded(50);
    const reference: string[] = [];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    for (let i = 0; i < 20_000; i++) {
      const key = `k${random(120)}`;
      const at = reference.indexOf(key);
      if (random(10) === 0) {
        map.delete(key);
        if (at >= 0) reference.splice(at, 1);
        continue;
      }
      map.set(key, i, 1_000);
      if (at >= 0) reference.splice(at, 1);
      reference.push(key);
      if (reference.length > 50) reference.shift();
    }
    expect(keys()).toEqual(reference);
  });

  test('after everything was evicted or deleted, eviction starts again from the oldest', () => {
    const { map, keys } = bounded(2);
    for (const k of ['a', 'b', 'c']) map.set(k, 0, 1_000);
    map.delete('b');
    map.delete('c');
    for (const k of ['x', 'y', 'z']) map.set(k, 0, 1_000);
    expect(keys()).toEqual(['y', 'z']);
  });
});
