/** Fingerprinting for flow tracking (issue 9): distinctive values, winnowed prose shingles, salted hashes only. */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { addressHoles, eachEmail, EMAIL, urlMatches, withoutAddresses } from '../../../../src/detectors/flows/address-spans.js';
import { canonicalUrl, distinctiveValues, eachToken, isOpaqueId, TOKEN } from '../../../../src/detectors/flows/distinctive-values.js';
import { eachFingerprint, fingerprintKey, fingerprintText, kindOf, valueFingerprint } from '../../../../src/detectors/flows/fingerprint.js';
import { eachProseFingerprint, K, proseFingerprints, W, wordHashes } from '../../../../src/detectors/flows/prose-shingles.js';

const key = fingerprintKey(randomBytes(32));
const PARAGRAPH =
  'Acme Corporation plans to close the Rotterdam warehouse in the third quarter and move its inventory to the new ' +
  'facility near Antwerp, which the board approved last Tuesday after a long discussion about severance costs.';

describe('prose shingles', () => {
  test('a re-wrapped, re-punctuated and re-cased copy has exactly the same fingerprints', () => {
    const copy = PARAGRAPH.toUpperCase().replace(/ /g, '\n  ').replace(/,/g, ' ;').replace(/\./g, '!!!');
    const a = proseFingerprints(PARAGRAPH, key.seeds);
    expect(a.length).toBeGreaterThan(5);
    expect(proseFingerprints(copy, key.seeds)).toEqual(a);
  });

  test('any copied run of K + W - 1 words shares a fingerprint with its source', () => {
    const words = PARAGRAPH.split(' ');
    const source = new Set(proseFingerprints(PARAGRAPH, key.seeds));
    for (let start = 0; start + K + W - 1 <= words.length; start++) {
      const run = `Unrelated opening words here. ${words.slice(start, start + K + W - 1).join(' ')} and something else entirely.`;
      expect(proseFingerprints(run, key.seeds).some((fp) => source.has(fp))).toBe(true);
    }
  });

  test('unrelated prose shares none; fewer than K words give none', () => {
    const other = 'The weather in Lisbon stayed mild all week, so the team held its planning meeting on the terrace.';
    const source = new Set(proseFingerprints(PARAGRAPH, key.seeds));
    expect(proseFingerprints(other, key.seeds).filter((fp) => source.has(fp))).toEqual([]);
    expect(proseFingerprints('only four words here', key.seeds)).toEqual([]);
  });

  test('apostrophes do not split words; other scripts are words too', () => {
    expect(proseFingerprints("we don't ship it before friday", key.seeds)).toEqual(proseFingerprints('WE DONT SHIP IT, BEFORE FRIDAY', key.seeds));
    expect(proseFingerprints('über straße größe maß fuß groß', key.seeds).length).toBeGreaterThan(0);
  });
});

describe('distinctive values', () => {
  test('e-mail addresses, lower-cased; documentation domains never count', () => {
    expect(distinctiveValues('write to Jane.Doe@Acme-Corp.com or ops@example.com')).toEqual([{ kind: 'email', value: 'jane.doe@acme-corp.com' }]);
  });

  test('URLs with two path segments or a query count, canonically; well-known hosts and bare hosts do not', () => {
    expect(canonicalUrl('HTTPS://Docs.Acme.io/specs/q3-plan/#intro')).toBe('https://docs.acme.io/specs/q3-plan');
    expect(canonicalUrl('https://acme.io/search?q=1')).toBe('https://acme.io/search?q=1');
    expect(canonicalUrl('https://acme.io/pricing')).toBeUndefined();
    expect(canonicalUrl('https://en.wikipedia.org/wiki/Data_exfiltration')).toBeUndefined();
    expect(canonicalUrl('https://www.w3.org/2000/svg')).toBeUndefined();
  });

  test('opaque ids count; words, dates, versions, file names and code identifiers do not', () => {
    for (const id of ['doc_8f3k2m9x1q7z', '3f2a9c1e-7b4d-4e2a-9c1f-0a8b7c6d5e4f', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'ghp_x7Kq2Lm9Pz4Rt8Vw1Ny6Bc3Hd5Jf0Gs']) {
      expect(isOpaqueId(id), id).toBe(true);
    }
    for (const not of ['README.md', '2024-05-01T10:00:00Z', 'v1.22.3-beta.4', 'getUserById2024', 'x86_64-linux-gnu', 'internationalisation', 'sha256sum']) {
      expect(isOpaqueId(not), not).toBe(false);
    }
    expect(distinctiveValues('dates 2024-05-01 and 12/05/2024, README.md, version 1.2.3').filter((v) => v.kind === 'id')).toEqual([]);
  });
});

describe('fingerprints', () => {
  test('only salted hashes: no word of the value appears, another salt gives others', () => {
    const text = `${PARAGRAPH} Contact jane.doe@acme-corp.com about doc_8f3k2m9x1q7z at https://crm.acme.io/accounts/991?tab=notes`;
    const fps = fingerprintText(text, key);
    expect(new Set(fps.map((f) => f.kind))).toEqual(new Set(['email', 'id', 'url', 'prose']));
    const joined = fps.map((f) => f.fingerprint).join(' ').toLowerCase();
    for (const word of ['jane', 'acme', 'rotterdam', '8f3k2m9x1q7z', 'crm']) expect(joined).not.toContain(word);
    const other = fingerprintText(text, fingerprintKey(randomBytes(32))).map((f) => f.fingerprint);
    expect(fps.filter((f) => other.includes(f.fingerprint))).toEqual([]);
  });

  test('a fingerprint names its kind; the same value under one key hashes the same', () => {
    const fp = valueFingerprint(key, 'email', 'jane.doe@acme-corp.com');
    expect(kindOf(fp)).toBe('email');
    expect(fingerprintText('JANE.DOE@acme-corp.com', key).filter((f) => f.kind !== 'prose')).toEqual([{ fingerprint: fp, kind: 'email' }]);
    expect(kindOf('~read:private')).toBeUndefined();
  });
});

/** Deterministic strings over an alphabet that makes e-mail-like and word-like runs collide. */
function noisyTexts(count: number, alphabet: readonly string[], maxParts: number): string[] {
  let x = 2024;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: next(maxParts) }, () => alphabet[next(alphabet.length)]).join(''));
}

describe('bounded work on large texts (issue 12, Speed)', () => {
  test('e-mail addresses found from each @ are exactly the matches of the whole-text pattern', () => {
    const parts = ['a', 'Z', '9', '.', '-', '_', '%', '+', '@', '@', ' ', '\n', 'é', 'mail', '.com', '.co.uk', 'x'.repeat(70), 'b.'.repeat(9)];
    for (const text of noisyTexts(3000, parts, 60)) {
      const found: [number, string][] = [];
      eachEmail(text, (index, match) => found.push([index, match]) > 0);
      expect(found, text).toEqual([...text.matchAll(EMAIL)].map((m) => [m.index, m[0]]));
    }
  });

  test('tokens found in one pass are exactly the matches of the token pattern', () => {
    const parts = ['a', 'Z', '9', '0', '_', '.', '-', ' ', '@', 'é', 'abcdefghij', '1234567890', '_'.repeat(250), 'x9'.repeat(140), '-'];
    for (const text of noisyTexts(3000, parts, 50)) {
      const found: [number, number][] = [];
      eachToken(text, (start, end) => found.push([start, end]) > 0);
      expect(found, text).toEqual([...text.matchAll(TOKEN)].map((m) => [m.index, m.index + m[0].length]));
    }
  });

  test('prose read around the address holes equals the prose of the text without its addresses', () => {
    const parts = ['word ', 'Other ', 'x', '@', 'jane@acme.io', ' ', '\n', 'http://a.bc/d/e', 'https://crm.acme.io/x?y=1', '.com', 'a.b.', 'ΣΑΣ ', '"', 'ops@'];
    const texts = [...noisyTexts(1500, parts, 60), ...noisyTexts(3, parts, 12_000)];
    for (const text of texts) {
      const holes = addressHoles(text, urlMatches(text));
      let rebuilt = '';
      let copied = 0;
      for (const [start, end] of holes) {
        rebuilt += `${text.slice(copied, start)} `;
        copied = end;
      }
      expect(rebuilt + text.slice(copied), text.slice(0, 200)).toBe(withoutAddresses(text));
      const read: string[] = [];
      eachProseFingerprint(text, key.seeds, (fp) => read.push(fp) > 0, holes);
      expect(read).toEqual(proseFingerprints(withoutAddresses(text), key.seeds));
    }
  });

  test('words hashed a step at a time equal the whole text lower-cased at once, final sigma included', () => {
    const text = noisyTexts(1, ['ΟΔΟΣ ', 'ΣΑΣ\n', 'İstanbul ', "don't ", 'word', ' ', 'Σ', '.', '\n'], 40_000)[0] ?? '';
    expect(text.length).toBeGreaterThan(3 * 16384);
    const whole = text.toLowerCase();
    const words = wordHashes(text, key.seeds);
    const expected = whole.split(/[^\p{L}\p{N}\p{M}'\u2019\u02BC]+/u).filter((w) => w.replace(/['\u2019\u02BC]/g, '') !== '');
    expect(words.n).toBe(expected.length);
    expect(proseFingerprints(text, key.seeds)).toEqual(proseFingerprints(whole, key.seeds));
  });

  test('a caller that stops early gets the first fingerprints of the full list, in order', () => {
    const text = Array.from({ length: 30 }, (_, i) => `${PARAGRAPH} Ticket ${i}: jane.doe${i}@acme-corp.com doc_8f3k2m9x${i}q7z https://crm.acme.io/accounts/${i}?tab=notes`).join('\n');
    const all = fingerprintText(text, key);
    expect(all.length).toBeGreaterThan(100);
    expect(new Set(all.map((f) => f.kind))).toEqual(new Set(['email', 'id', 'url', 'prose']));
    for (const limit of [1, 3, 95, all.length + 5]) {
      const got: unknown[] = [];
      const finished = eachFingerprint(text, key, (fp) => got.push(fp) < limit);
      expect(got).toEqual(all.slice(0, limit));
      expect(finished).toBe(limit > all.length);
    }
  });
});
