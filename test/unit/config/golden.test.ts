/**
 * Golden config errors: each `test/golden/config/<case>.yaml` must fail to load with exactly the text in
 * `<case>.expected` (the message the CLI prints before exiting 2). Messages name the file as
 * `watchdog.yaml`, so the expected text reads as a user would see it. The policy check of the composition
 * root runs too, as it does in the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config/index.js';
import { checkConfigPolicy } from '../../../src/inspection.js';

const DIR = join(import.meta.dirname, '../../golden/config');
const files = readdirSync(DIR);
const cases = files.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();

function errorText(source: string): string {
  try {
    parseConfig(source, { file: 'watchdog.yaml', baseDir: '/srv/watchdog', env: { TENANT: 'acme' }, checks: [checkConfigPolicy] });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '(loaded without error)';
}

describe('golden config errors', () => {
  test('every case has an expectation and every expectation a case', () => {
    const expectations = files.filter((f) => f.endsWith('.expected')).map((f) => f.slice(0, -'.expected'.length)).sort();
    expect(expectations).toEqual(cases);
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  test.each(cases)('%s', (name) => {
    const source = readFileSync(join(DIR, `${name}.yaml`), 'utf8');
    const expected = readFileSync(join(DIR, `${name}.expected`), 'utf8').trimEnd();
    expect(errorText(source)).toBe(expected);
  });
});
