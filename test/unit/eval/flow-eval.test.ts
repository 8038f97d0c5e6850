/**
 * Issue 9, acceptance 5: the flow evaluation set (test/eval/flows, written by scripts/make-flow-eval.js)
 * through the same runner `watchdog eval` uses: at least 50 records per kind, every risky flow caught,
 * no benign or hard-negative record flagged. A malformed flow record is an input error, not a pass.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildReport, parseRecord, readCorpus, runRecords } from '../../../src/eval/index.js';

const SET = join(import.meta.dirname, '../../eval/flows');

describe('flow evaluation set', () => {
  test('50+ risky, benign and hard-negative records; recall and false positives per category', async () => {
    const outcomes = await runRecords(await readCorpus([SET]));
    const byCategory = new Map(buildReport(outcomes).categories.map((t) => [t.name.replace(/^.* \/ /, ''), t]));
    const risky = byCategory.get('flow-risky');
    const benign = byCategory.get('flow-benign');
    const hard = byCategory.get('flow-hard-negative');
    expect(risky?.malicious).toBeGreaterThanOrEqual(50);
    expect(benign?.benign).toBeGreaterThanOrEqual(50);
    expect(hard?.benign).toBeGreaterThanOrEqual(50);
    expect(risky?.caught).toBe(risky?.malicious);
    expect(benign?.falsePositives).toBe(0);
    expect(hard?.falsePositives).toBe(0);
  }, 60_000);

  test('a flow record without call arguments is refused', () => {
    expect(() => parseRecord(JSON.stringify({ id: 'x', label: 'benign', surface: 'flow', reads: [], call: { upstream: 'a', tool: 't' } }), 'f.jsonl')).toThrow(/arguments/);
  });
});
