/**
 * The pieces the flow check reuses from call to call (issue 9, "Fast"): the lane set, the skipping scan
 * for long runs, the collector of a call's fingerprints and the hit table of the judge — each against
 * the plain definition it replaces.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { FlowHit, FlowOrigin } from '../../../../src/core/index.js';
import { CallFingerprintCollector, MAX_CHECKED } from '../../../../src/detectors/flows/call-fingerprints.js';
import { argumentViews } from '../../../../src/detectors/flows/decode-argument.js';
import { fingerprintKey, fingerprintText } from '../../../../src/detectors/flows/fingerprint.js';
import { judgeFlows } from '../../../../src/detectors/flows/flow-judge.js';
import { LaneSet } from '../../../../src/detectors/flows/lane-set.js';
import { asciiClass, forEachLongRun } from '../../../../src/detectors/flows/long-runs.js';
import { proseFingerprints } from '../../../../src/detectors/flows/prose-shingles.js';
import { stockFingerprints } from '../../../../src/detectors/flows/stock-phrases.js';
import type { Field } from '../../../../src/pipeline/types.js';

const PARAGRAPH =
  'Acme Corporation plans to close the Rotterdam warehouse in the third quarter and move its inventory to the new ' +
  'facility near Antwerp, which the board approved last Tuesday after a long discussion about severance costs.';

function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

describe('LaneSet', () => {
  test('holds exactly what was added since the last reset, through growth and many resets', () => {
    const set = new LaneSet(2);
    const rand = prng(1);
    for (let round = 0; round < 50; round++) {
      set.reset(4);
      const model = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const [x, y] = [Math.floor(rand() * 64) | 0, Math.floor(rand() * 4) - 2];
        expect(set.add(x, y)).toBe(!model.has(`${x},${y}`));
        model.add(`${x},${y}`);
      }
      expect(set.size).toBe(model.size);
      for (let x = 0; x < 64; x++) expect(set.has(x, -1)).toBe(model.has(`${x},-1`));
    }
  });

  test('strings are added by a hash of their characters', () => {
    const set = new LaneSet();
    expect(set.addString('p0123456789abcdef')).toBe(true);
    expect(set.addString(`p0123456789${'abcdef'}`)).toBe(false);
    expect(set.addString('p0123456789abcdee')).toBe(true);
  });
});

describe('forEachLongRun', () => {
  const members = asciiClass((c) => c >= 0x61 && c <= 0x7a);
  /** The plain definition: every maximal run of members, kept when at least `min` long. */
  function naive(text: string, min: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0;
      if (c < 0x80 && members[c] === 1) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0 && i - start >= min) out.push([start, i]);
      start = -1;
    }
    return out;
  }

  test('finds the same runs as a read of every character', () => {
    const rand = prng(7);
    const pieces = ['a', 'bc', 'x', ' ', '-', 'é', 'Z', 'qqqqqqqqqqqq', '\u{1F600}'];
    for (let t = 0; t < 2000; t++) {
      let text = '';
      const n = Math.floor(rand() * 60);
      for (let i = 0; i < n; i++) text += pieces[Math.floor(rand() * pieces.length)];
      for (const min of [1, 3, 12]) {
        const runs: Array<[number, number]> = [];
        forEachLongRun(text, min, members, (s, e) => runs.push([s, e]));
        expect(runs, `${JSON.stringify(text)} min ${min}`).toEqual(naive(text, min));
      }
    }
  });
});

describe('CallFingerprintCollector', () => {
  const key = fingerprintKey(randomBytes(32));
  const stock = stockFingerprints(key.seeds);
  const field = (path: string, text: string): Field => ({ path, text, raw: text, role: 'argument' }) as Field;

  /** The plain definition: every view's fingerprints in order, first path wins, stock shingles dropped. */
  function plain(fields: readonly Field[]): { fingerprints: string[]; paths: string[] } {
    const seen = new Set<string>();
    const out = { fingerprints: [] as string[], paths: [] as string[] };
    for (const f of fields) {
      for (const view of argumentViews(f.text)) {
        for (const { fingerprint } of fingerprintText(view, key)) {
          if (seen.has(fingerprint) || stock.has(fingerprint) || seen.size >= MAX_CHECKED) continue;
          seen.add(fingerprint);
          out.fingerprints.push(fingerprint);
          out.paths.push(f.path);
        }
      }
    }
    return out;
  }

  test('unique fingerprints of every reading of every argument, stock phrases left out, each with its path', () => {
    const collector = new CallFingerprintCollector();
    const cases: Field[][] = [
      [field('a', PARAGRAPH), field('b', PARAGRAPH.toUpperCase()), field('c', 'write to jane.doe@northwind-logistics.com')],
      [field('q', `https://acme.io/search?q=${encodeURIComponent('jane.doe@northwind-logistics.com')}`), field('r', Buffer.from(PARAGRAPH).toString('base64'))],
      [field('s', `${PARAGRAPH} please let me know if you have any questions or need anything else from me`)],
      [field('t', 'short')],
    ];
    for (const fields of cases) {
      const got = collector.collect(fields, key, stock);
      const want = plain(fields);
      expect(got.fingerprints).toEqual(want.fingerprints);
      expect(got.paths.slice(0, got.fingerprints.length)).toEqual(want.paths);
    }
    expect(collector.collect(cases[3] as Field[], key, stock).fingerprints).toEqual([]);
  });

  test('at most MAX_CHECKED fingerprints a call', () => {
    const words = Array.from({ length: 30_000 }, (_, i) => `w${i.toString(36)}`).join(' ');
    const got = new CallFingerprintCollector().collect([field('a', words)], key, stock);
    expect(got.fingerprints).toHaveLength(MAX_CHECKED);
    expect(got.fingerprints).toEqual(plain([field('a', words)]).fingerprints);
  });
});

describe('prose shingles of ASCII and other text', () => {
  const key = fingerprintKey(randomBytes(32));
  test('case-folding by character (ASCII) and by toLowerCase (any other text) agree', () => {
    for (const text of [PARAGRAPH, `${PARAGRAPH} Ünïcödé Straße`, `İstanbul ${PARAGRAPH}`, `${PARAGRAPH}\uD800 lone surrogate`]) {
      expect(proseFingerprints(text, key.seeds)).toEqual(proseFingerprints(text.toLowerCase(), key.seeds));
    }
  });
});

describe('judgeFlows', () => {
  const crm: FlowOrigin = { upstream: 'crm', method: 'tools/call', tool: 'get', session: 's1' };
  const crm2: FlowOrigin = { ...crm, session: 's2' };
  const hit = (fingerprint: string, origin: FlowOrigin, at: number): FlowHit => ({ fingerprint, origin, at });

  test('a fingerprint sent twice, or read in two sessions, counts once for its origin', () => {
    const hits = [hit('p1', crm, 3), hit('p1', crm2, 2)];
    expect(judgeFlows(['p1', 'p1'], ['a', 'b'], hits, 'chat')).toEqual([]);
    const flows = judgeFlows(['p1', 'p2', 'p1'], ['a', 'b', 'c'], [...hits, hit('p2', crm2, 5)], 'chat');
    expect(flows).toEqual([{ origin: crm2, at: 5, kinds: ['prose'], path: 'a', fingerprint: 'p1' }]);
  });

  test('a distinctive value names the path and comes first; the destination as an origin is no flow', () => {
    const hits = [hit('p1', crm, 1), hit('eMail', crm, 1), hit('p2', crm, 4)];
    expect(judgeFlows(['p1', 'p2', 'eMail'], ['a', 'a', 'b'], hits, 'chat')).toEqual([{ origin: crm, at: 4, kinds: ['email', 'prose'], path: 'b', fingerprint: 'eMail' }]);
    expect(judgeFlows(['p1', 'p2', 'eMail'], ['a', 'a', 'b'], hits, 'crm')).toEqual([]);
  });
});
