/**
 * One runner for every detector golden file under test/golden/detectors (this engine's and the
 * secrets/dangerous-arguments ones). Findings come from a monitor-mode pipeline (all findings, as a
 * multiset of `rule severity`); the optional rewritten text is checked against the default policy, whose
 * finding ids count up from f_000000000001 (so a strip marker's id is known).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPipeline } from '../../../src/pipeline/index.js';
import { PolicySchema } from '../../../src/config/schema.js';
import { detectors } from '../../../src/detectors/index.js';
import { envelopeOf, parseGolden, rewrittenText } from './golden-format.js';

const ROOT = join(import.meta.dirname, '../../golden/detectors');

function goldenFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return goldenFiles(path);
    return name.endsWith('.golden') ? [path] : [];
  }).sort();
}

const monitor = createPipeline({ policy: PolicySchema.parse({ mode: 'monitor' }), detectors });
/** The default policy with finding ids counted from f_000000000001, so strip markers are predictable. */
function enforcing() {
  let n = 0;
  return createPipeline({ detectors, newId: () => `f_${String(++n).padStart(12, '0')}` });
}

describe('detector golden files', () => {
  const files = goldenFiles(ROOT);

  it('finds golden files for this engine', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    it(relative(ROOT, file), async () => {
      const golden = parseGolden(readFileSync(file, 'utf8'));
      const envelope = envelopeOf(golden);
      const verdict = await monitor.inspect(envelope);
      const actual = verdict.findings.map((f) => `${f.rule} ${f.severity}`).sort();
      expect(actual).toEqual([...golden.expected].sort());
      if (golden.rewritten !== undefined) {
        const enforced = await enforcing().inspect(envelope);
        expect(enforced.kind).toBe('redact');
        if (enforced.kind === 'redact') expect(rewrittenText(golden, enforced.payload)).toBe(golden.rewritten);
      }
    });
  }
});
