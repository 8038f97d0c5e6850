import { describe, expect, it } from 'vitest';
import { asciiBytes, compileLiterals, scanLongest, scanLongestBytes } from '../../../../src/detectors/text/literal-scan.js';
import { scanTriggers } from '../../../../src/detectors/text/trigger-windows.js';
import { TRIGGER_VOCABULARY } from '../../../../src/detectors/vocabulary/trigger-vocabulary.js';

/** Scan hits as plain arrays, to compare with the reference. */
function plain(hits: { at: ArrayLike<number>; word: ArrayLike<number> }): { at: number[]; word: number[] } {
  return { at: Array.from(hits.at), word: Array.from(hits.word) };
}

/** The definition the scanner must agree with: a longest-first lookahead tried at every position of the ASCII-lower-cased text. */
function reference(text: string, words: readonly string[]): { at: number[]; word: string[] } {
  const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?=(${[...words].sort((a, b) => b.length - a.length).map(escape).join('|')}))`, 'g');
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const at: number[] = [];
  const word: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(lower)) !== null) {
    at.push(m.index);
    word.push(m[1] ?? '');
    re.lastIndex = m.index + 1;
  }
  return { at, word };
}

/** Deterministic texts built from vocabulary pieces, their prefixes, upper case and non-ASCII look-alikes. */
function samples(count: number): string[] {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = [...TRIGGER_VOCABULARY, ...TRIGGER_VOCABULARY.map((w) => w.toUpperCase()), ' ', 'x', 'İ', '\u212A', 'é', '\u{1F600}', '\n'];
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = Math.floor(next() * 40); i > 0; i--) {
      const p = pieces[Math.floor(next() * pieces.length)] ?? '';
      s += next() < 0.3 ? p.slice(0, Math.max(1, Math.floor(next() * p.length))) : p;
    }
    return s;
  });
}

describe('literal scan', () => {
  it('reports the longest literal at every position, like the lookahead regex', () => {
    for (const text of samples(1500)) {
      const { at, word } = plain(scanTriggers(text));
      expect({ at, word: word.map((i) => TRIGGER_VOCABULARY[i]) }, text).toEqual(reference(text, TRIGGER_VOCABULARY));
    }
  });

  it('never matches a non-ASCII unit whose low bits spell an ASCII letter (issue 12, Speed: the string is read directly)', () => {
    const table = compileLiterals(['key', 'keys', 'ssh']);
    expect(plain(scanLongest('KEYS \u014bey \u016bey ke\u0179 sSh', table))).toEqual({ at: [0, 17], word: [1, 2] });
  });

  it('scans the bytes of a large raw text exactly as the string (issue 12, Speed)', () => {
    const table = compileLiterals(TRIGGER_VOCABULARY);
    const texts = samples(400);
    for (const text of texts) expect(plain(scanLongestBytes(asciiBytes(text), table)), text).toEqual(plain(scanLongest(text, table)));
    const large = texts.join('\u0141\u00e9 ').repeat(4);
    expect(large.length).toBeGreaterThan(8192);
    expect(plain(scanLongestBytes(asciiBytes(large), table))).toEqual(plain(scanLongest(large, table)));
    expect(Array.from(asciiBytes('A\u0141b'))).toEqual([0x41, 0x80, 0x62]);
    expect(Array.from(asciiBytes(`${'x'.repeat(9000)}\u0141`).slice(-2))).toEqual([0x78, 0x80]);
  });

  it('matches upper-case ASCII but never non-ASCII characters', () => {
    const table = compileLiterals(['key', 'keys', 'ssh']);
    expect(plain(scanLongest('KEYS ke\u00fds sSh', table))).toEqual({ at: [0, 10], word: [1, 2] });
  });

  it('folds ASCII case only, as the non-unicode /i patterns do (positions never shift)', () => {
    const text = '\u0130gnore \u212Aey \u0130 ignore';
    expect(Array.from(scanTriggers(text).at)).toEqual(reference(text, TRIGGER_VOCABULARY).at);
    expect(/ignore/i.test('\u0130gnore') || /key/i.test('\u212Aey')).toBe(false);
  });

  it('refuses literals it cannot scan for', () => {
    expect(() => compileLiterals(['ab'])).toThrow();
    expect(() => compileLiterals(['Key'])).toThrow();
  });
});

describe('secret anchor scan', () => {
  it('finds what the keyword regex finds, case kept in the seen set', async () => {
    const { scanAnchors, SECRET_ANCHORS } = await import('../../../../src/detectors/secrets/secret-patterns.js');
    const words = ['private key', 'eyJ', 'sk-', 'ghp_', 'github_pat_', '_live_', 'hooks.slack.com', 'xoxb', 'AIza', 'AKIA', 'asia', 'pass',
      'pwd', 'secret', 'KEY', 'token', 'credential', 'Bearer', 'authorization', '://', 'ſ', 'K', 'x', ' ', 'e', 'y',
      'sb_secret_', 'AGE-SECRET-KEY-1', 'dp.pt.', 'SG.', 'npm_', ':AA', 'service_account', 'glpat-', 'glc_', 'discord', '-', '.', '_'];
    const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const longestFirst = [...SECRET_ANCHORS].sort((a, b) => b.length - a.length);
    const regex = new RegExp(longestFirst.map(escape).join('|'), 'gi');
    let seed = 5;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let t = 0; t < 3000; t++) {
      let text = '';
      for (let i = Math.floor(next() * 20); i > 0; i--) {
        const w = words[Math.floor(next() * words.length)] ?? '';
        text += next() < 0.3 ? w.slice(Math.floor(next() * w.length)) : w;
      }
      const expected = [...text.matchAll(regex)];
      const anchors = scanAnchors(text);
      expect(anchors.hits, text).toEqual(expected.map((m) => ({ index: m.index, word: m[0].toLowerCase() })));
      expect([...anchors.seen].sort()).toEqual([...new Set(expected.map((m) => m[0]))].sort());
    }
  });
});
