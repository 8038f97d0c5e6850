/**
 * Windows of the local scorer (issue 15): a long text is cut into packed windows at line and sentence
 * ends; with `segments` (the response head) each line or sentence long enough to carry a task is a window
 * of its own as well, after the packed ones; a one-segment text gets no duplicate. The model file carries
 * the flag per head and rejects a malformed one.
 */
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, MIN_SEGMENT_CHARS, windowsOf } from '../../../src/classifier/index.js';

const slices = (text: string, segments: boolean) => windowsOf(text, 80, segments).map((w) => text.slice(w.start, w.end));

describe('windowsOf', () => {
  const text = 'Your parcel ships from our warehouse today. It should arrive at your door on Friday.\nExplain how tides work in your answer.\nThanks!';

  it('packs lines and sentences into windows of at most the given size', () => {
    const packed = slices(text, false);
    expect(packed.join('')).toBe(text);
    for (const w of packed) expect(w.length).toBeLessThanOrEqual(80);
  });

  it('adds each long enough line or sentence as a window of its own after the packed ones', () => {
    const packed = slices(text, false);
    const all = slices(text, true);
    expect(all.slice(0, packed.length)).toEqual(packed);
    expect(all.slice(packed.length)).toEqual(['Your parcel ships from our warehouse today.', ' It should arrive at your door on Friday.', 'Explain how tides work in your answer.']);
    expect('Thanks!'.length).toBeLessThan(MIN_SEGMENT_CHARS);
  });

  it('adds nothing to a text of one segment', () => {
    expect(windowsOf('Explain how tides work in your answer.', 80, true)).toEqual([{ start: 0, end: 38 }]);
  });
});

describe('the segments flag in the model file', () => {
  const header = (segments: unknown) => ({
    version: 1 as const,
    bits: 8,
    windowChars: 64,
    heads: [{ name: 'response' as const, bias: 0, scale: 1, thresholds: { flag: 0.9, unsure: 0.5 }, segments: segments as boolean }],
  });
  const weights = new Map([['response' as const, new Int8Array(256)]]);

  it('round-trips per head', () => {
    expect(decodeModel(encodeModel(header(true), weights)).header.heads[0]?.segments).toBe(true);
  });

  it('rejects a flag that is not a boolean', () => {
    expect(() => decodeModel(encodeModel(header('yes'), weights))).toThrow(/segments/);
  });
});
