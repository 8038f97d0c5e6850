/**
 * The pipeline layer imports only downward (STYLE.md: `core` ← `pipeline` ← `detectors`): the detector
 * list is handed to `createPipeline` by its caller, never imported here. A relative import that leaves
 * `src/pipeline` may only reach `src/core` or `src/config` (the policy schema).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../../src/pipeline');
const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm;

function outwardImports(): string[] {
  const out: string[] = [];
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(DIR, name), 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('../')) out.push(`${name}: ${spec}`);
    }
  }
  return out;
}

describe('pipeline layering', () => {
  it('finds the relative imports of the pipeline sources', () => {
    expect(outwardImports().some((i) => i.includes('../core/'))).toBe(true);
  });

  it('imports nothing from the layers above it', () => {
    expect(outwardImports().filter((i) => !/: \.\.\/(?:core|config)\//.test(i))).toEqual([]);
  });
});
