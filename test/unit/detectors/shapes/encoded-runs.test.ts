import { describe, expect, it } from 'vitest';
import { alphabetRuns, candidateRuns } from '../../../../src/detectors/shapes/encoded-runs.js';

/** The definition the byte scan replaces: one lookbehind regex, runs joined across a bare line break. */
function referenceRuns(text: string): string[] {
  const run = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}/g;
  const tail = /^(?:\\n|\r?\n)([A-Za-z0-9+/_-]{4,19}={0,2})(?![A-Za-z0-9+/_=-])/;
  const runs: string[] = [];
  let prevEnd = -1;
  for (const m of text.matchAll(run)) {
    const gap = text.slice(prevEnd, m.index);
    if (prevEnd >= 0 && (gap === '\n' || gap === '\r\n' || gap === '\\n')) runs[runs.length - 1] += m[0];
    else runs.push(m[0]);
    prevEnd = m.index + m[0].length;
    const t = tail.exec(text.slice(prevEnd, prevEnd + 24));
    if (t) {
      runs[runs.length - 1] += t[1] ?? '';
      prevEnd += t[0].length;
    }
  }
  return runs;
}

function samples(count: number): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-';
  const others = ['=', '==', '===', '\n', '\r\n', '\\n', ' ', '.', 'é', '\u{1F600}', 'deadbeefcafe'];
  let seed = 3;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = Math.floor(next() * 30); i > 0; i--) {
      if (next() < 0.5) s += others[Math.floor(next() * others.length)] ?? '';
      else {
        // lengths around the 20-character minimum, where the byte scan's probing must not miss a run
        const length = next() < 0.5 ? 17 + Math.floor(next() * 6) : Math.floor(next() * 45);
        for (let k = length; k > 0; k--) s += alphabet[Math.floor(next() * alphabet.length)] ?? '';
      }
    }
    return s;
  });
}

describe('alphabetRuns and candidateRuns', () => {
  it('finds the runs the lookbehind regex finds, wrapped lines joined', () => {
    for (const text of samples(5000)) expect(alphabetRuns(text), JSON.stringify(text)).toEqual(referenceRuns(text));
  });

  it('finds a run of exactly the minimum length right after a short one and after a probe on a separator', () => {
    const run = 'QUJDREVGR0hJSktMTU5P';
    expect(alphabetRuns(`..........abcdefghij.${run}`)).toEqual([run]);
    expect(alphabetRuns(`...................+${run.slice(1)}`)).toEqual([`+${run.slice(1)}`]);
    expect(alphabetRuns(`${'.'.repeat(20)}${run}.`)).toEqual([run]);
  });

  it('joins a base64 run wrapped over lines and keeps a short final line', () => {
    const line = 'SGVsbG8gd29ybGQsIHRoaXMgaXMgYSBsb25nZXIgbGluZQ';
    const runs = candidateRuns(`data:\n${line}\n${line}\nZm9vYmFy==\nnext`);
    expect(runs.map((r) => r.encoded)).toEqual([`${line}${line}Zm9vYmFy==`]);
  });
});
