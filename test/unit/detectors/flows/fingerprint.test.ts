/** Fingerprinting for flow tracking (issue 9): distinctive values, winnowed prose shingles, salted hashes only. */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { canonicalUrl, distinctiveValues, isOpaqueId } from '../../../../src/detectors/flows/distinctive-values.js';
import { fingerprintKey, fingerprintText, kindOf, valueFingerprint } from '../../../../src/detectors/flows/fingerprint.js';
import { allShingleFingerprints, K, proseFingerprints, W } from '../../../../src/detectors/flows/prose-shingles.js';
import { stockFingerprints } from '../../../../src/detectors/flows/stock-phrases.js';

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

describe('stock phrases', () => {
  const FOOTER = 'This message and any attachments are confidential and intended only for the addressee.';
  const READ = `We are rotating the signing keys for the mobile app on Monday night; the fallback servers must not be restarted.\n${FOOTER}`;
  const SENT = `Heads up: the staging environment will be slow during the database migration tonight. ${FOOTER}`;

  test('every fingerprint two texts share only through a stock footer is suppressed, whatever the salt', () => {
    // Winnowing keeps different shingles of the footer in different contexts and under different salts;
    // with only the footer's own winnowed shingles suppressed, some salts let one or two through.
    for (let i = 0; i < 300; i++) {
      const seeds = fingerprintKey(randomBytes(32)).seeds;
      const stock = stockFingerprints(seeds);
      const read = new Set(proseFingerprints(READ, seeds));
      const leaked = proseFingerprints(SENT, seeds).filter((fp) => read.has(fp) && !stock.has(fp));
      expect(leaked).toEqual([]);
    }
  });

  test('every shingle of a text is one fingerprint each; the winnowed ones are among them', () => {
    const all = allShingleFingerprints(PARAGRAPH, key.seeds);
    expect(all).toHaveLength(PARAGRAPH.split(' ').length - K + 1);
    const every = new Set(all);
    expect(proseFingerprints(PARAGRAPH, key.seeds).every((fp) => every.has(fp))).toBe(true);
  });
});
