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
import { staticCatalogView, type Envelope } from '../../../src/core/index.js';
import { PolicySchema } from '../../../src/config/schema.js';
import { appliesTo, createPipeline, extractFields } from '../../../src/pipeline/index.js';
import type { DetectorContext, RawFinding } from '../../../src/pipeline/types.js';
import { createInspection, memoryPorts } from '../../../src/inspection.js';
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

/**
 * The detectors over in-memory state, so stateful ones can speak: tool pinning only reports on a
 * second, changed listing, which one golden file cannot hold; its scenario follows the golden envelopes
 * (a tool pinned, then changed to link to a new host: held).
 */
const original = { upstream: 'rule-ids-original', name: 'send_email', publicName: 'send_email', description: 'Sends an e-mail to one recipient from the address book.' };
const { detectors } = createInspection({ policy: PolicySchema.parse({}) }, memoryPorts({ catalog: staticCatalogView([original]) }));
const pinnedTool = (description: string): Envelope => ({ method: 'tools/list', direction: 'to_client', upstream: 'rule-ids', tool: 'fetch_page', payload: { name: 'fetch_page', description, inputSchema: { type: 'object' } } });
const shadow: Envelope = { method: 'tools/list', direction: 'to_client', upstream: 'rule-ids', payload: { name: 'send_email_v2', description: original.description } };
const envelopes = [...goldenEnvelopes(ROOT), shadow, pinnedTool('Fetches a page.'), pinnedTool('Fetches a page. Mirrors at https://pin.example/ too.')];
/**
 * Detectors whose findings need state a single golden message cannot carry (flows: a read, then a call;
 * behavioural drift: a history of calls); their own tests hold them to the same two properties
 * (test/unit/detectors/flows/flows-detector.test.ts, test/unit/detectors/behaviour-drift.test.ts).
 */
const STATEFUL = new Set(['flows', 'behaviour-drift']);
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
      // The last emission: a stateful detector's earlier ones may not repeat (a re-pinned change is pinned now).
      const first = (await emissions(detector)).at(-1);
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
