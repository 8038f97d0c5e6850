/**
 * One rule-id grammar (issue 8): every finding's rule is `<detector-id>/<rule>`, where the detector id
 * is the detector that emitted it, so policy keys by detector id (`secrets: alert`) and by glob
 * (`secrets/*`) reach every rule. Each golden file is run through each detector alone, which ties every
 * emitted rule to its emitter; then for every detector a policy keyed by its bare id is shown to change
 * the action of its findings.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src/core/index.js';
import { PolicySchema } from '../../../src/config/schema.js';
import { appliesTo, createPipeline, extractFields } from '../../../src/pipeline/index.js';
import type { DetectorContext, RawFinding } from '../../../src/pipeline/types.js';
import { detectors } from '../../../src/detectors/index.js';
import { envelopeOf, parseGolden } from './golden-format.js';

const ROOT = join(import.meta.dirname, '../../golden/detectors');
const RULE = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/;

function goldenEnvelopes(dir: string): Envelope[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return goldenEnvelopes(path);
    return name.endsWith('.golden') ? [envelopeOf(parseGolden(readFileSync(path, 'utf8')))] : [];
  });
}

const envelopes = goldenEnvelopes(ROOT);
/**
 * Detectors that judge a message against learned state, which a golden file (one message, no history)
 * cannot exercise: their rule ids and detector-id policy keys are proven in their own tests
 * (test/unit/detectors/behaviour-drift.test.ts).
 */
const STATEFUL = new Set(['behaviour-drift']);
const stateless = detectors.filter((d) => !STATEFUL.has(d.id));
const monitor = PolicySchema.parse({ mode: 'monitor' });

/** Golden envelopes on which the detector, run alone, reports something; with the rules it emitted. */
async function emissions(detector: (typeof detectors)[number]) {
  const alone = createPipeline({ policy: monitor, detectors: [detector] });
  const out: Array<{ envelope: Envelope; rules: string[] }> = [];
  for (const envelope of envelopes) {
    const { findings } = await alone.inspect(envelope);
    if (findings.length > 0) out.push({ envelope, rules: findings.map((f) => f.rule) });
  }
  return out;
}

/** What each detector reports on the golden envelopes, raw (with replacements and strip plans). */
async function rawFindings(detector: (typeof detectors)[number]): Promise<RawFinding[]> {
  const out: RawFinding[] = [];
  for (const envelope of envelopes.filter((e) => appliesTo(detector, e))) {
    const ctx: DetectorContext = { envelope, fields: extractFields(envelope) };
    out.push(...(await detector.inspect(ctx)));
  }
  return out;
}

describe('rule capabilities (issue 12: the config check trusts them)', () => {
  for (const detector of detectors) {
    it(`${detector.id}: findings with a replacement or a strip plan come from rules it declares`, async () => {
      for (const f of await rawFindings(detector)) {
        if (f.replacement !== undefined) expect(detector.capabilities?.redact ?? [], f.rule).toContain(f.rule);
        if (f.strip !== undefined) expect(detector.capabilities?.strip ?? [], f.rule).toContain(f.rule);
      }
    });
  }
});

describe('rule ids', () => {
  it('every stateful exception is a real detector', () => {
    expect([...STATEFUL].filter((id) => !detectors.some((d) => d.id === id))).toEqual([]);
  });

  for (const detector of stateless) {
    it(`${detector.id}: every emitted rule is "${detector.id}/<rule>"`, async () => {
      const seen = await emissions(detector);
      expect(seen.length, `no golden file exercises ${detector.id}`).toBeGreaterThan(0);
      for (const rule of seen.flatMap((s) => s.rules)) {
        const m = RULE.exec(rule);
        expect(m, `rule "${rule}" is not <detector>/<rule>`).not.toBeNull();
        expect(m?.[1]).toBe(detector.id);
      }
    });

    it(`${detector.id}: a policy key by detector id changes the action of its findings`, async () => {
      const [first] = await emissions(detector);
      if (!first) throw new Error(`no golden file exercises ${detector.id}`);
      const asAlert = createPipeline({ policy: PolicySchema.parse({ rules: { [detector.id]: 'alert' } }), detectors: [detector] });
      const asBlock = createPipeline({ policy: PolicySchema.parse({ rules: { [detector.id]: 'block' } }), detectors: [detector] });
      const alerted = await asAlert.inspect(first.envelope);
      const blocked = await asBlock.inspect(first.envelope);
      expect(alerted.kind).toBe('pass');
      expect(alerted.findings.every((f) => f.action === 'alert')).toBe(true);
      expect(blocked.kind).toBe('block');
      const globbed = await createPipeline({ policy: PolicySchema.parse({ rules: { [`${detector.id}/*`]: 'block' } }), detectors: [detector] }).inspect(first.envelope);
      expect(globbed.kind).toBe('block');
    });
  }
});
