/** The one contract every `FlowStore` keeps (run against SQLite and the in-memory twin by stores.test.ts). */
import { afterEach, describe, expect, test } from 'vitest';
import type { FlowOrigin, FlowStore } from '../../src/core/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Built, Make } from './store-harness.js';

const MINUTE = 60_000;
const FS: FlowOrigin = { upstream: 'fs', method: 'tools/call', tool: 'fs__read_file', session: 's1' };
const WEB: FlowOrigin = { upstream: 'web', method: 'resources/read', session: 's2' };

export function flowStoreContract(name: string, make: Make<FlowStore>): void {
  describe(`FlowStore contract: ${name}`, () => {
    let clock: ManualClock;
    let built: Built<FlowStore> | undefined;
    const open = (maxEntries = 1000, ttlMs = 60 * MINUTE): FlowStore => {
      clock = new ManualClock();
      built = make({ maxEntries, ttlMs, clock, pruneEvery: 1 });
      return built.store;
    };
    afterEach(() => built?.close());

    test('nothing remembered, nothing found', () => {
      const store = open();
      expect(store.lookup(['a'])).toEqual([]);
      expect(store.lookup([])).toEqual([]);
      expect(store.size()).toBe(0);
    });

    test('a remembered fingerprint is found with its origin and time; others are not', () => {
      const store = open();
      store.remember(FS, ['h1', 'h2'], clock.now());
      expect(store.lookup(['h2', 'zz'])).toEqual([{ fingerprint: 'h2', origin: FS, at: clock.now() }]);
      expect(store.lookup(['zz'])).toEqual([]);
      expect(store.size()).toBe(2);
    });

    test('rememberLater: fingerprinted on the next turn, or at once by a lookup or size that comes first', async () => {
      const store = open();
      const produced: string[] = [];
      const later = (fp: string) => () => {
        produced.push(fp);
        return [fp];
      };
      store.rememberLater(FS, later('h1'), clock.now(), 64 * 1024);
      expect(produced).toEqual([]);
      expect(store.lookup(['h1'])).toEqual([{ fingerprint: 'h1', origin: FS, at: clock.now() }]);
      expect(produced).toEqual(['h1']);
      store.rememberLater(WEB, later('h2'), clock.now(), 10);
      store.rememberLater(WEB, later('h3'), clock.now(), 10);
      await new Promise((resolve) => setImmediate(resolve));
      expect(produced).toEqual(['h1', 'h2', 'h3']);
      expect(store.lookup(['h3']).map((h) => h.origin.upstream)).toEqual(['web']);
      store.rememberLater(WEB, later('h4'), clock.now(), 10);
      expect(store.size()).toBe(4);
    });

    test('remembering a pair again refreshes it instead of adding one', () => {
      const store = open();
      store.remember(FS, ['h1'], clock.now());
      clock.advance(MINUTE);
      store.remember(FS, ['h1', 'h1'], clock.now());
      expect(store.lookup(['h1'])).toEqual([{ fingerprint: 'h1', origin: FS, at: clock.now() }]);
      expect(store.size()).toBe(1);
    });

    test('one fingerprint from two origins gives two hits, most recently remembered first', () => {
      const store = open();
      store.remember(FS, ['h'], clock.now());
      store.remember(WEB, ['h'], clock.now() - 10);
      expect(store.lookup(['h']).map((h) => h.origin.upstream)).toEqual(['web', 'fs']);
    });

    test('lookup filters by session and honours the limit', () => {
      const store = open();
      store.remember(FS, ['a', 'b', 'c'], clock.now());
      store.remember(WEB, ['a'], clock.now());
      expect(store.lookup(['a'], { session: 's1' }).map((h) => h.origin.upstream)).toEqual(['fs']);
      expect(store.lookup(['a', 'b', 'c'], { limit: 2 })).toHaveLength(2);
    });

    test('an empty tool or session is the same as none', () => {
      const store = open();
      store.remember({ upstream: 'u', method: 'm', tool: '', session: '' }, ['h'], clock.now());
      expect(store.lookup(['h'])).toEqual([{ fingerprint: 'h', origin: { upstream: 'u', method: 'm' }, at: clock.now() }]);
    });

    test('holds at most maxEntries pairs, dropping the least recently remembered', () => {
      const store = open(3);
      store.remember(FS, ['p1', 'p2', 'p3'], clock.now());
      store.remember(FS, ['p1'], clock.now());
      store.remember(WEB, ['p4'], clock.now());
      expect(store.size()).toBe(3);
      expect(store.lookup(['p1', 'p2', 'p3', 'p4']).map((h) => h.fingerprint).sort()).toEqual(['p1', 'p3', 'p4']);
    });

    test('pairs older than the time-to-live are never returned', () => {
      const store = open(1000, 10 * MINUTE);
      store.remember(FS, ['old'], clock.now());
      clock.advance(5 * MINUTE);
      store.remember(WEB, ['new'], clock.now());
      clock.advance(5 * MINUTE + 1);
      expect(store.lookup(['old', 'new']).map((h) => h.fingerprint)).toEqual(['new']);
      expect(store.size()).toBe(1);
    });

    test('lookup filters by principal; an origin keeps its principal and sorted labels', () => {
      const store = open();
      const alice: FlowOrigin = { upstream: 'crm', method: 'tools/call', tool: 'get', principal: 'user:alice', labels: ['untrusted', 'private', 'private'] };
      store.remember(alice, ['x'], clock.now());
      store.remember({ ...alice, principal: 'token:bob' }, ['x'], clock.now());
      const hits = store.lookup(['x'], { principal: 'user:alice' });
      expect(hits).toEqual([{ fingerprint: 'x', origin: { ...alice, labels: ['private', 'untrusted'] }, at: clock.now() }]);
      expect(store.lookup(['x'])).toHaveLength(2);
      expect(store.lookup(['x'], { principal: 'user:carol' })).toEqual([]);
    });

    test('remembering a pair again replaces its labels; empty labels are none', () => {
      const store = open();
      store.remember({ upstream: 'crm', method: 'tools/call', labels: ['private'] }, ['x'], clock.now());
      store.remember({ upstream: 'crm', method: 'tools/call', labels: [] }, ['x'], clock.now());
      expect(store.lookup(['x'])).toEqual([{ fingerprint: 'x', origin: { upstream: 'crm', method: 'tools/call' }, at: clock.now() }]);
      expect(store.size()).toBe(1);
    });

    test('the salt is 32 bytes and stays the same for the store', () => {
      const store = open();
      expect(store.salt).toHaveLength(32);
      expect(Buffer.from(store.salt).equals(Buffer.from(store.salt))).toBe(true);
      expect(Buffer.from(store.salt).equals(Buffer.alloc(32))).toBe(false);
    });

    test('hostile fingerprints and origins round-trip as data', () => {
      const store = open();
      const origin: FlowOrigin = { upstream: "x'); DROP TABLE flows; --", method: 'tools/call', tool: '\u0000', session: '"]' };
      store.remember(origin, ['["a"]', '%', '\u0000'], clock.now());
      expect(store.lookup(['%'])).toEqual([{ fingerprint: '%', origin, at: clock.now() }]);
      expect(store.lookup(['["a"]'])).toHaveLength(1);
      expect(store.size()).toBe(3);
    });
  });
}
