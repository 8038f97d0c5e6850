/** The one contract every `PinStore` keeps (run against SQLite and the in-memory twin by stores.test.ts). */
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_PIN_DEFINITION, type Pin, type PinStore } from '../../src/core/index.js';
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
    const pin = (digest: string, extra: Partial<Pin> = {}): Pin => ({ digest, firstSeen: clock.now(), lastSeen: clock.now(), ...extra });
    afterEach(() => built?.close());

    test('an unknown key reads as absent', () => {
      const store = open();
      expect(store.get('nothing')).toBeUndefined();
      expect(store.size()).toBe(0);
      expect(store.list()).toEqual([]);
    });

    test('a pin put is read back as put, definition included', () => {
      const store = open();
      const p = pin('ab12', { definition: '{"name":"read_file"}', firstSeen: clock.now() - 5 });
      store.put('fs\u0000tool\u0000read_file', p);
      expect(store.get('fs\u0000tool\u0000read_file')).toEqual(p);
      expect(store.size()).toBe(1);
    });

    test('put replaces the pin under the same key', () => {
      const store = open();
      store.put('k', pin('old'));
      store.put('k', pin('new', { firstSeen: 1 }));
      expect(store.get('k')).toEqual(pin('new', { firstSeen: 1 }));
      expect(store.size()).toBe(1);
    });

    test('delete removes a pin and reports whether one was there', () => {
      const store = open();
      store.put('k', pin('d'));
      expect(store.delete('k')).toBe(true);
      expect(store.get('k')).toBeUndefined();
      expect(store.delete('k')).toBe(false);
    });

    test('list gives keys with their pins, most recently written first, within the limit', () => {
      const store = open();
      for (const key of ['a', 'b', 'c']) store.put(key, pin(key));
      store.put('a', pin('a2'));
      expect(store.list().map((e) => [e.key, e.digest])).toEqual([['a', 'a2'], ['c', 'c'], ['b', 'b']]);
      expect(store.list(2).map((e) => e.key)).toEqual(['a', 'c']);
    });

    test('holds at most maxEntries pins, dropping the least recently written', () => {
      const store = open(3);
      for (const key of ['k1', 'k2', 'k3']) store.put(key, pin(key));
      store.put('k1', pin('k1'));
      store.put('k4', pin('k4'));
      store.put('k5', pin('k5'));
      expect(store.size()).toBe(3);
      expect(store.get('k2')).toBeUndefined();
      expect(store.get('k3')).toBeUndefined();
      expect(store.list().map((e) => e.key)).toEqual(['k5', 'k4', 'k1']);
    });

    test('a pin not seen for the time-to-live reads as absent; a fresh put revives the key', () => {
      const store = open(100, HOUR);
      store.put('old', pin('o'));
      clock.advance(HOUR / 2);
      store.put('young', pin('y'));
      clock.advance(HOUR / 2 + 1);
      expect(store.get('old')).toBeUndefined();
      expect(store.get('young')?.digest).toBe('y');
      expect(store.size()).toBe(1);
      expect(store.list().map((e) => e.key)).toEqual(['young']);
      expect(store.delete('old')).toBe(false);
      store.put('old', pin('o2'));
      expect(store.get('old')?.digest).toBe('o2');
    });

    test('a definition past the size cap is not kept; the digest is', () => {
      const store = open();
      store.put('big', pin('d', { definition: 'x'.repeat(MAX_PIN_DEFINITION + 1) }));
      store.put('fits', pin('d', { definition: 'y'.repeat(MAX_PIN_DEFINITION) }));
      expect(store.get('big')).toEqual(pin('d'));
      expect(store.get('fits')?.definition).toHaveLength(MAX_PIN_DEFINITION);
    });

    test('keys and definitions of any characters round-trip; reads are copies', () => {
      const store = open();
      const key = `up'"\u0000tool\u0000na;me -- 💥\u202e`;
      store.put(key, pin('d', { definition: "'); DROP TABLE pins; --" }));
      const read = store.get(key) as Pin;
      expect(read.definition).toBe("'); DROP TABLE pins; --");
      read.digest = 'mutated';
      expect(store.get(key)?.digest).toBe('d');
      expect(store.list()[0]?.key).toBe(key);
    });
  });
}
