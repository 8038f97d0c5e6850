/**
 * The flow index's open-addressing table (fingerprint-table.ts): after many sets, overwrites and
 * deletions (backward shifts across wrapped runs, growth) it answers exactly like a Map of the same writes.
 */
import { expect, test } from 'vitest';
import { FingerprintTable, keyOf } from '../../../src/store/fingerprint-table.js';

test('sets, overwrites and deletes agree with a Map, through growth and crowded runs', () => {
  const table = new FingerprintTable(16);
  const model = new Map<string, number>();
  const key = new Int32Array(2);
  // Keys with few distinct home cells (hi & 63) make long runs that wrap and need shifting on delete.
  const keys = Array.from({ length: 3000 }, (_, i) => [((i % 64) | (i << 8)) >> 0, i * 7919] as const);
  for (let round = 0; round < 20_000; round++) {
    const n = (round * 2654435761) % keys.length;
    const [hi, lo] = keys[n] as readonly [number, number];
    if (round % 3 === 2) {
      table.delete(hi, lo);
      model.delete(`${hi}/${lo}`);
    } else {
      table.set(hi, lo, round);
      model.set(`${hi}/${lo}`, round);
    }
  }
  expect(table.size).toBe(model.size);
  for (const [hi, lo] of keys) expect(table.get(hi, lo)).toBe(model.get(`${hi}/${lo}`) ?? -1);
  keyOf('p0123456789abcdef', key);
  expect(table.get(key[0] as number, key[1] as number)).toBe(-1);
});

test('keyOf gives distinct keys to 200 000 distinct fingerprints', () => {
  const key = new Int32Array(2);
  const seen = new Set<string>();
  for (let n = 0; n < 200_000; n++) {
    keyOf(`p${n.toString(16).padStart(16, '0')}`, key);
    seen.add(`${key[0]}/${key[1]}`);
  }
  expect(seen.size).toBe(200_000);
});
