/** `--since` and `/findings?since=` (issue 13): durations, ISO dates, epoch ms; anything else is an error. */
import { describe, expect, test } from 'vitest';
import { parseSince, SinceError } from '../../../src/core/index.js';

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);

describe('parseSince', () => {
  test.each([
    ['90s', NOW - 90_000],
    ['30m', NOW - 1_800_000],
    ['1h', NOW - 3_600_000],
    ['7d', NOW - 7 * 86_400_000],
    ['2w', NOW - 14 * 86_400_000],
    ['2026-04-30', Date.UTC(2026, 3, 30)],
    ['2026-04-30T10:00:00Z', Date.UTC(2026, 3, 30, 10)],
    ['1777600000000', 1_777_600_000_000],
  ])('%s', (text, expected) => {
    expect(parseSince(text, NOW)).toBe(expected);
  });

  test.each(['', 'yesterday', '1y', '-1h', '1.5h', '2026-13-45', '12'])('rejects %j', (text) => {
    expect(() => parseSince(text, NOW)).toThrow(SinceError);
  });
});
