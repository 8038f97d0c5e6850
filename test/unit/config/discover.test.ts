import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, discoverConfig } from '../../../src/config/index.js';

let root: string;
let cwd: string;
let home: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wdg-discover-'));
  cwd = join(root, 'project');
  home = join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(join(home, '.config', 'mcp-watchdog'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function touch(path: string): string {
  writeFileSync(path, '');
  return path;
}

describe('discoverConfig precedence', () => {
  test('--config wins over everything and is resolved against cwd', () => {
    const flagged = touch(join(cwd, 'flag.yaml'));
    const fromEnv = touch(join(root, 'env.yaml'));
    touch(join(cwd, 'watchdog.yaml'));
    expect(discoverConfig({ flag: 'flag.yaml', env: { WATCHDOG_CONFIG: fromEnv }, cwd, home })).toBe(flagged);
  });

  test('$WATCHDOG_CONFIG comes next', () => {
    const fromEnv = touch(join(root, 'env.yaml'));
    touch(join(cwd, 'watchdog.yaml'));
    expect(discoverConfig({ env: { WATCHDOG_CONFIG: fromEnv }, cwd, home })).toBe(fromEnv);
  });

  test('then ./watchdog.yaml, then the user config folder', () => {
    const userFile = touch(join(home, '.config', 'mcp-watchdog', 'watchdog.yaml'));
    expect(discoverConfig({ env: {}, cwd, home })).toBe(userFile);
    const local = touch(join(cwd, 'watchdog.yaml'));
    expect(discoverConfig({ env: {}, cwd, home })).toBe(local);
  });

  test('nothing found is undefined, and an empty $WATCHDOG_CONFIG counts as unset', () => {
    expect(discoverConfig({ env: { WATCHDOG_CONFIG: '' }, cwd, home })).toBeUndefined();
  });
});

describe('explicit paths must exist', () => {
  test('a missing --config path is a ConfigError, not a fall-through', () => {
    touch(join(cwd, 'watchdog.yaml'));
    expect(() => discoverConfig({ flag: 'typo.yaml', env: {}, cwd, home })).toThrow(ConfigError);
    expect(() => discoverConfig({ flag: 'typo.yaml', env: {}, cwd, home })).toThrow('typo.yaml: file not found (given by --config)');
  });

  test('a missing $WATCHDOG_CONFIG path is a ConfigError naming the variable', () => {
    expect(() => discoverConfig({ env: { WATCHDOG_CONFIG: '/no/such/file.yaml' }, cwd, home })).toThrow('given by $WATCHDOG_CONFIG');
  });
});
