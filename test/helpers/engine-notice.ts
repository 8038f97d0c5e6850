/**
 * The notice a suite registers when the engine it needs (redis-server, Chromium) is not installed: a
 * skipped test whose title says what is NOT tested here, or a failing test when CI requires the engine
 * (`requiredBy` set to 1 in the environment). Also printed once on stderr, so a local run shows it.
 */
import { test } from 'vitest';

export function missingNotice(missing: string | undefined): string | undefined {
  if (missing) process.stderr.write(`\n*** NOTICE: ${missing} ***\n\n`);
  return missing;
}

export function registerNotice(missing: string | undefined, engine: string, requiredBy: string): void {
  if (!missing) return;
  if (process.env[requiredBy] === '1') {
    test(`${engine} is required (${requiredBy}=1)`, () => {
      throw new Error(missing);
    });
  } else test.skip(missing, () => undefined);
}
