/** The fingerprinting detector reads the first sentences of large prose without splitting the rest (issue 12, Speed). */
import { describe, expect, it } from 'vitest';
import { firstSentences } from '../../../src/detectors/fingerprinting.js';

describe('firstSentences', () => {
  it('gives the first pieces of a whole split, at any limit', () => {
    const texts = ['', 'one', 'One. Two!  Three?\nFour\n\n five. ', 'a.\u00a0b.\u2003c', 'No break.', 'x. '.repeat(50)];
    for (const text of texts) {
      const whole = text.split(/(?<=[.!?\n])\s+/);
      for (const limit of [1, 2, 3, 10, 2000]) expect(firstSentences(text, limit), JSON.stringify(text)).toEqual(whole.slice(0, limit));
    }
  });
});
