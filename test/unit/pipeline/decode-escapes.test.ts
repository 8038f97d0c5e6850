import { describe, expect, it } from 'vitest';
import { decodeEscapeRounds, decodeEscapes } from '../../../src/pipeline/decode-escapes.js';

/** Deterministic texts of escape fragments: stacked, split, invalid, producing separators and NUL. */
function samples(count: number, pieces: number): string[] {
  const parts = [
    '&', '&amp;', 'amp;', 'lt;', '&#', '&#x', '3C', ';', '%', '%25', '%3', '25', 'C', '\\', '\\\\', 'u', '\\u', '003c', '{', '}',
    '\\u{', '\\x', 'n', '"', "'", '/', ' ', '\n', '.', 'é', 'a', '%E2%82', '%AC', '&nbsp;', '&shy;', '&#0;', '%00', '%20', '\\u0000', '%2500',
  ];
  let seed = 11;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = Math.floor(next() * pieces); i > 0; i--) s += parts[Math.floor(next() * parts.length)] ?? '';
    return s;
  });
}

describe('decodeEscapes', () => {
  it('gives exactly the whole-text rounds, decoding only the stretches around &, % and \\', () => {
    for (const text of samples(20000, 30)) expect(decodeEscapes(text), JSON.stringify(text)).toBe(decodeEscapeRounds(text));
  });

  it('agrees on large texts where many stretches are decoded in one call', () => {
    for (const text of samples(20, 3000)) expect(decodeEscapes(text)).toBe(decodeEscapeRounds(text));
  });

  it('falls back to one call per stretch when decoding produces the joining character', () => {
    expect(decodeEscapes('a %00 b &lt; c')).toBe('a \u0000 b < c');
  });

  it('returns the text itself when there is nothing to decode', () => {
    const text = 'plain words, no escapes.';
    expect(decodeEscapes(text)).toBe(text);
  });
});
