import { describe, expect, test } from 'vitest';
import { hashMatch, maskExcerpt } from '../../../src/store/index.js';

describe('maskExcerpt', () => {
  test('shows the first 3 and last 2 characters and the length', () => {
    expect(maskExcerpt('AKIAIOSFODNN7EXAMPLE')).toBe('AKI…LE (20 chars)');
    expect(maskExcerpt('1234567')).toBe('123…67 (7 chars)');
  });

  test('matches of at most 6 characters show only their length', () => {
    expect(maskExcerpt('secret')).toBe('*** (6 chars)');
    expect(maskExcerpt('')).toBe('*** (0 chars)');
  });

  test('never contains the middle of the value and stays short', () => {
    const secret = `ghp_${'x'.repeat(10)}MIDDLEPART${'y'.repeat(10)}`;
    const excerpt = maskExcerpt(secret);
    expect(excerpt).not.toContain('MIDDLEPART');
    expect(excerpt.length).toBeLessThanOrEqual(24);
    expect(maskExcerpt('z'.repeat(1_000_000)).length).toBeLessThanOrEqual(24);
  });

  test('counts code points and neutralises control and invisible characters', () => {
    expect(maskExcerpt('😀😀😀abcd😀😀')).toBe('😀😀😀…😀😀 (9 chars)');
    expect(maskExcerpt('\u001b[31mabcdef\u200b\n')).toBe('?[3…?? (13 chars)');
  });
});

describe('hashMatch', () => {
  test('is a hex SHA-256 that depends on the salt', () => {
    const a = hashMatch(Buffer.alloc(32, 1), 'value');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashMatch(Buffer.alloc(32, 1), 'value')).toBe(a);
    expect(hashMatch(Buffer.alloc(32, 2), 'value')).not.toBe(a);
    expect(hashMatch(Buffer.alloc(32, 1), 'other')).not.toBe(a);
  });
});
