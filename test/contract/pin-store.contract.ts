/** The one contract every `PinStore` keeps (run against SQLite and the in-memory twin by stores.test.ts). */
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_PIN_DEFINITION, type Pin, type PinRef, type PinStore } from '../../src/core/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Built, Make } from './store-harness.js';

const HOUR = 3_600_000;

export function pinStoreContract(name: string, make: Make<PinStore>): void {
  describe(`PinStore contract: ${name}`, () => {
    let clock: ManualClock;
    let built: Built<PinStore> | undefined;
    const open = (maxEntries = 100, ttlMs = 24 * HOUR): PinStore => {
      clock = new ManualClock();
      built = make({ maxEntries, ttlMs, clock, pruneEvery: 1 });
      return built.store;
    };
    const ref = (item: string, extra: Partial<PinRef> = {}): PinRef => ({ upstream: 'fs', identity: 'ab12cd34', kind: 'tool', item, ...extra });
    const pin = (item: string, digest: string, extra: Partial<Pin> = {}): Pin => ({
      ...ref(item),
      approved: { digest, fields: { description: `${digest}-d` } },
      firstSeen: clock.now(),
      lastSeen: clock.now(),
      ...extra,
    });
    afterEach(() => built?.close());

    test('an unknown pin reads as absent', () => {
      const store = open();
      expect(store.get(ref('nothing'))).toBeUndefined();
      expect(store.size()).toBe(0);
      expect(store.list()).toEqual([]);
    });

    test('a pin put is read back as put: approved and pending definitions, fields and times', () => {
      const store = open();
      const p = pin('read_file', 'ab', {
        firstSeen: clock.now() - 5,
        approved: { digest: 'ab', fields: { description: 'd1', inputSchema: 's1' }, definition: '{"name":"read_file"}' },
        pending: { digest: 'cd', fields: { description: 'd2' }, definition: '{"name":"read_file","x":1}', status: 'held', reason: 'introduces a URL', since: clock.now() },
      });
      store.put(p);
      expect(store.get(ref('read_file'))).toEqual(p);
      expect(store.size()).toBe(1);
    });

    test('a pin without an approved definition (a held new item) round-trips', () => {
      const store = open();
      const p: Pin = { ...ref('new_tool'), pending: { digest: 'e', fields: {}, status: 'held', reason: 'new item', since: 1 }, firstSeen: 1, lastSeen: clock.now() };
      store.put(p);
      expect(store.get(ref('new_tool'))).toEqual(p);
    });

    test('the four parts of the reference all tell pins apart', () => {
      const store = open();
      const refs = [ref('x'), ref('x', { upstream: 'gh' }), ref('x', { identity: 'ffff' }), ref('x', { kind: 'prompt' }), ref('y')];
      refs.forEach((r, i) => store.put({ ...pin('x', `d${i}`), ...r }));
      refs.forEach((r, i) => expect(store.get(r)?.approved?.digest).toBe(`d${i}`));
      expect(store.size()).toBe(5);
    });

    test('put replaces the pin under the same reference', () => {
      const store = open();
      store.put(pin('k', 'old'));
      store.put(pin('k', 'new', { firstSeen: 1 }));
      expect(store.get(ref('k'))).toEqual(pin('k', 'new', { firstSeen: 1 }));
      expect(store.size()).toBe(1);
    });

    test('delete removes a pin and reports whether one was there', () => {
      const store = open();
      store.put(pin('k', 'd'));
      expect(store.delete(ref('k'))).toBe(true);
      expect(store.get(ref('k'))).toBeUndefined();
      expect(store.delete(ref('k'))).toBe(false);
    });

    test('list gives pins most recently written first, within the limit', () => {
      const store = open();
      for (const item of ['a', 'b', 'c']) store.put(pin(item, item));
      store.put(pin('a', 'a2'));
      expect(store.list().map((p) => [p.item, p.approved?.digest])).toEqual([['a', 'a2'], ['c', 'c'], ['b', 'b']]);
      expect(store.list({ limit: 2 }).map((p) => p.item)).toEqual(['a', 'c']);
    });

    test('list filters by upstream, kind and status (pinned, held, rejected)', () => {
      const store = open();
      const pending = (status: 'held' | 'rejected') => ({ digest: 'p', fields: {}, status, reason: 'r', since: 0 });
      store.put(pin('plain', 'a'));
      store.put(pin('held', 'b', { pending: pending('held') }));
      store.put(pin('rejected', 'c', { pending: pending('rejected') }));
      store.put({ ...pin('other', 'd'), upstream: 'gh', kind: 'prompt' });
      expect(store.list({ upstream: 'fs' }).map((p) => p.item)).toEqual(['rejected', 'held', 'plain']);
      expect(store.list({ status: 'held' }).map((p) => p.item)).toEqual(['held']);
      expect(store.list({ status: 'rejected' }).map((p) => p.item)).toEqual(['rejected']);
      expect(store.list({ status: 'pinned' }).map((p) => p.item)).toEqual(['other', 'plain']);
      expect(store.list({ kind: 'prompt' }).map((p) => p.item)).toEqual(['other']);
      expect(store.list({ upstream: 'gh', status: 'held' })).toEqual([]);
    });

    test('holds at most maxEntries pins, dropping the least recently written', () => {
      const store = open(3);
      for (const item of ['k1', 'k2', 'k3']) store.put(pin(item, item));
      store.put(pin('k1', 'k1'));
      store.put(pin('k4', 'k4'));
      store.put(pin('k5', 'k5'));
      expect(store.size()).toBe(3);
      expect(store.get(ref('k2'))).toBeUndefined();
      expect(store.get(ref('k3'))).toBeUndefined();
      expect(store.list().map((p) => p.item)).toEqual(['k5', 'k4', 'k1']);
    });

    test('a pin not seen for the time-to-live reads as absent; a fresh put revives it', () => {
      const store = open(100, HOUR);
      store.put(pin('old', 'o'));
      clock.advance(HOUR / 2);
      store.put(pin('young', 'y'));
      clock.advance(HOUR / 2 + 1);
      expect(store.get(ref('old'))).toBeUndefined();
      expect(store.get(ref('young'))?.approved?.digest).toBe('y');
      expect(store.size()).toBe(1);
      expect(store.list().map((p) => p.item)).toEqual(['young']);
      expect(store.delete(ref('old'))).toBe(false);
      store.put(pin('old', 'o2'));
      expect(store.get(ref('old'))?.approved?.digest).toBe('o2');
    });

    test('a definition text past the size cap is not kept; its digests are', () => {
      const store = open();
      const big = 'x'.repeat(MAX_PIN_DEFINITION + 1);
      store.put(pin('big', 'd', { approved: { digest: 'd', fields: { description: 'f' }, definition: big }, pending: { digest: 'e', fields: {}, definition: big, status: 'held', reason: 'r', since: 0 } }));
      store.put(pin('fits', 'd', { approved: { digest: 'd', fields: {}, definition: 'y'.repeat(MAX_PIN_DEFINITION) } }));
      expect(store.get(ref('big'))?.approved).toEqual({ digest: 'd', fields: { description: 'f' } });
      expect(store.get(ref('big'))?.pending?.definition).toBeUndefined();
      expect(store.get(ref('fits'))?.approved?.definition).toHaveLength(MAX_PIN_DEFINITION);
    });

    test('names and definitions of any characters round-trip; reads are copies', () => {
      const store = open();
      const item = `na'"\u0000;me -- 💥\u202e`;
      store.put(pin(item, 'd', { upstream: "up'--", approved: { digest: 'd', fields: { "f'); DROP TABLE pins; --": 'x' }, definition: "'); DROP TABLE pins; --" } }));
      const read = store.get(ref(item, { upstream: "up'--" })) as Pin;
      expect(read.approved?.definition).toBe("'); DROP TABLE pins; --");
      expect(read.approved?.fields).toEqual({ "f'); DROP TABLE pins; --": 'x' });
      (read.approved as { digest: string }).digest = 'mutated';
      expect(store.get(ref(item, { upstream: "up'--" }))?.approved?.digest).toBe('d');
      expect(store.list()[0]?.item).toBe(item);
    });

    test('the decision counter starts at 0 and each decision raises it by one', () => {
      const store = open();
      expect(store.decisions()).toBe(0);
      store.decided();
      store.decided();
      expect(store.decisions()).toBe(2);
      store.put(pin('k', 'd'));
      expect(store.decisions()).toBe(2);
    });
  });
}
