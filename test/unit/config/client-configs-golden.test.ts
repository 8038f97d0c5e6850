/**
 * Issue 13, acceptance 4: a real-world-shaped config of each client format under test/golden/import/
 * (one folder per case: the client's file under its usual name, optional options.json, expected.yaml)
 * imports to exactly the expected watchdog.yaml, and that text passes the gateway's own `parseConfig`
 * with every variable it names set. Regenerate after an intended change with UPDATE_GOLDEN=1.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importClientConfig, parseConfig, type ImportOptions } from '../../../src/config/index.js';
import { ROOT } from '../../helpers/gateway.js';

const GOLDEN = join(ROOT, 'test/golden/import');
const CASES = readdirSync(GOLDEN);
const SIDE_FILES = new Set(['options.json', 'expected.yaml']);

function runCase(name: string) {
  const dir = join(GOLDEN, name);
  const input = readdirSync(dir).find((f) => !SIDE_FILES.has(f)) as string;
  const options = readdirSync(dir).includes('options.json') ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as Partial<ImportOptions>) : {};
  const result = importClientConfig(readFileSync(join(dir, input), 'utf8'), { ...options, path: join(dir, input), platform: 'linux' });
  return { dir, result };
}

describe('watchdog import golden files', () => {
  it('covers every client format, wrappers, Windows entries and unknown shapes', () => {
    expect(CASES).toEqual(expect.arrayContaining(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'mcp-remote', 'windows', 'unknown-shapes']));
  });

  it.each(CASES)('%s: imports to expected.yaml, which parseConfig accepts', (name) => {
    const { dir, result } = runCase(name);
    const expectedPath = join(dir, 'expected.yaml');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, result.yaml);
    expect(result.yaml).toBe(readFileSync(expectedPath, 'utf8'));

    const names = [...result.yaml.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string);
    const env = Object.fromEntries(names.map((n) => [n, `value-of-${n}`]));
    const { config } = parseConfig(result.yaml, { file: 'watchdog.yaml', baseDir: dir, env });
    expect(config.upstreams.map((u) => u.name)).toEqual(result.upstreams.map((u) => u.name));
    // Every variable the YAML needs is named in its header, with where it came from.
    for (const variable of result.variables) expect(result.yaml).toContain(`#   ${variable.name}`);
  });
});
