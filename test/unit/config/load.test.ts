import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, ConfigSchema, isLoopbackHost, isStdio, loadConfig, parseConfig } from '../../../src/config/index.js';
import { isConfigRelative } from '../../../src/config/config-paths.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function parse(source: string) {
  return parseConfig(source, { file: 'watchdog.yaml', baseDir: '/srv/wd', env: {} });
}

function failure(source: string): ConfigError {
  try {
    parse(source);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('resolves cwd and gateway.store against the config file folder and returns the absolute path', () => {
    mkdirSync(join(dir, 'conf'));
    const file = write('conf/watchdog.yaml', 'gateway:\n  store: data/wd.db\nupstreams:\n  - name: a\n    command: x\n    cwd: ../work\n  - name: b\n    command: y\n');
    const loaded = loadConfig(file, { env: {} });
    expect(loaded.path).toBe(file);
    expect(loaded.config.gateway.store).toBe(join(dir, 'conf/data/wd.db'));
    const [a, b] = loaded.config.upstreams;
    expect(a && isStdio(a) && a.cwd).toBe(join(dir, 'work'));
    expect(b && isStdio(b) && b.cwd).toBe(join(dir, 'conf'));
  });

  test('fills defaults from the schema', () => {
    const { config } = loadConfig(write('watchdog.yaml', 'upstreams:\n  - name: a\n    command: x\n'), { env: {} });
    expect(config.gateway.http).toMatchObject({ host: '127.0.0.1', port: 8765, path: '/mcp' });
    expect(config.gateway).toMatchObject({ separator: '__', prefix: 'always', maxBodyBytes: 10 * 1024 * 1024 });
    expect(config.upstreams[0]).toMatchObject({ timeout: 60, enabled: true, args: [], env: {} });
  });

  test('the runtime form is deeply frozen and does not freeze the schema defaults', () => {
    const { config } = loadConfig(write('watchdog.yaml', 'upstreams:\n  - name: a\n    command: x\n    args: [one]\n'), { env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.gateway.http)).toBe(true);
    expect(() => (config.upstreams[0] as { args: string[] }).args.push('two')).toThrow(TypeError);
    loadConfig(write('second.yaml', ''), { env: {} });
    expect(Object.isFrozen(ConfigSchema.parse({}).gateway.http)).toBe(false);
  });

  test('an empty file or one with only comments is a valid config without upstreams', () => {
    expect(loadConfig(write('empty.yaml', ''), { env: {} }).config.upstreams).toEqual([]);
    expect(loadConfig(write('comments.yaml', '# nothing yet\n'), { env: {} }).config.upstreams).toEqual([]);
  });

  test('a missing file is a ConfigError naming the file', () => {
    const missing = join(dir, 'nope.yaml');
    expect(() => loadConfig(missing)).toThrow(ConfigError);
    expect(() => loadConfig(missing)).toThrow(`${missing}: file not found`);
  });
});

describe('problems', () => {
  test('every problem is collected, in file order, one line each', () => {
    const err = failure('upstreams:\n  - name: B\n    command: x\n  - name: ok\n    url: ftp://example.com\n');
    expect(err.problems.map((p) => [p.path, p.line])).toEqual([
      ['upstreams[0].name', 2],
      ['upstreams[1].url', 5],
    ]);
    expect(err.message.split('\n')).toHaveLength(2);
    expect(err.message).toContain('watchdog.yaml:5:10 upstreams[1].url: expected an http:// or https:// URL');
    expect(err.code).toBe('WDG_CONFIG_INVALID');
  });

  test('a missing required key points at its mapping', () => {
    const err = failure('upstreams:\n  - command: x\n');
    expect(err.problems).toEqual([{ path: 'upstreams[0].name', line: 2, column: 5, message: 'missing required key "name" (expected a string)' }]);
  });

  test('an upstream that is not a mapping says what an upstream is', () => {
    const err = failure('upstreams:\n  - fs\n');
    expect(err.problems[0]).toMatchObject({ path: 'upstreams[0]', line: 2, message: 'expected a mapping with command (stdio) or url (remote), got a string' });
  });

  test('a scalar document is not a mapping', () => {
    expect(failure('just text\n').problems[0]).toMatchObject({ path: '', line: 1, message: 'expected a mapping at the top level, got a string' });
  });

  test('duplicate YAML keys are syntax errors with a position', () => {
    const err = failure('gateway:\n  separator: "__"\n  separator: "--"\n');
    expect(err.problems[0]).toMatchObject({ line: 3, message: expect.stringContaining('YAML syntax error') });
  });

  test('a non-loopback bind is accepted once tokens are configured', () => {
    const tokens = 'gateway:\n  http:\n    host: 0.0.0.0\n  auth:\n    tokens: ["0123456789abcdef0123"]\n';
    expect(parse(tokens).config.gateway.http.host).toBe('0.0.0.0');
    expect(failure('gateway:\n  http:\n    host: 192.168.1.5\n').message).toContain('binding 192.168.1.5 requires gateway.auth.tokens');
  });
});

describe('warnings', () => {
  test('a disabled upstream is a warning with its line', () => {
    const { warnings } = parse('upstreams:\n  - name: a\n    command: x\n    enabled: false\n');
    expect(warnings).toEqual([{ path: 'upstreams[0].enabled', line: 4, column: 14, message: 'upstream "a" is disabled' }]);
  });

  test('two enabled upstreams with the same public prefix warn; prefix "never" does not', () => {
    const source = 'upstreams:\n  - name: a\n    command: x\n  - name: b\n    command: y\n    prefix: a\n';
    expect(parse(source).warnings).toEqual([
      expect.objectContaining({ path: 'upstreams[1].prefix', line: 6, message: expect.stringContaining('prefix "a" is also used by upstreams[0]') }),
    ]);
    expect(parse(`gateway:\n  prefix: never\n${source}`).warnings).toEqual([]);
  });

  test('a clean config has no warnings', () => {
    expect(parse('upstreams:\n  - name: a\n    command: x\n').warnings).toEqual([]);
  });
});

test.each([
  ['127.0.0.1', true],
  ['127.8.9.10', true],
  ['localhost', true],
  ['::1', true],
  ['[::1]', true],
  ['LOCALHOST', true],
  ['app.localhost', true],
  ['0:0:0:0:0:0:0:1', true],
  ['::ffff:127.0.0.1', true],
  ['0.0.0.0', false],
  ['127.evil.com', false],
  ['localhost.evil.com', false],
  ['127.0.0.1.nip.io', false],
  ['::', false],
  ['10.0.0.1', false],
  ['example.com', false],
])('isLoopbackHost(%s) is %s (the one definition: config validation and the HTTP front door)', (host, expected) => {
  expect(isLoopbackHost(host)).toBe(expected);
});

describe('lists filled from one variable (issue 13)', () => {
  const docker = 'gateway:\n  http: { host: 0.0.0.0, allowedHosts: ["${HOSTS:-}"] }\n  auth: { tokens: ["${TOKENS}"] }\n';
  const env = (vars: Record<string, string>) => parseConfig(docker, { file: 'watchdog.yaml', baseDir: '/srv/wd', env: vars }).config.gateway;

  test('split comma-separated entries, trimmed; host names lower-cased; blank host entries dropped', () => {
    const gateway = env({ HOSTS: 'MCP.example.com, gw.internal ,', TOKENS: 'alice-token-0123456789,bob-token-0123456789ab' });
    expect(gateway.http.allowedHosts).toEqual(['mcp.example.com', 'gw.internal']);
    expect(gateway.auth.tokens).toEqual(['alice-token-0123456789', 'bob-token-0123456789ab']);
    expect(env({ TOKENS: 'alice-token-0123456789' }).http.allowedHosts).toEqual([]);
  });

  test('a blank or short token piece is still an error', () => {
    expect(() => env({ TOKENS: '' })).toThrow(/tokens must be at least 16 characters/);
    expect(() => env({ TOKENS: 'alice-token-0123456789,' })).toThrow(/tokens must be at least 16 characters/);
  });
});

describe('paths relative to the config file (issue 7, item 17)', () => {
  test('./ and ../ values of command, args and env resolve against its folder; other values stay as written', () => {
    const { config } = parseConfig(
      `upstreams:
  - name: a
    command: ./bin/server
    args: [./data, ../shared/x.json, ., .., sandbox, --dir=./x, -v, .hidden, https://example.com/./a, '@scope/pkg']
    env: { MEMORY_FILE_PATH: ./.watchdog/memory.jsonl, UP: ../up, NAME: .watchdog/plain, TOKEN: abc }
    cwd: ../work
`,
      { file: 'watchdog.yaml', baseDir: '/srv/wd', env: {} },
    );
    const [a] = config.upstreams;
    if (!a || !isStdio(a)) throw new Error('expected a stdio upstream');
    expect(a.command).toBe('/srv/wd/bin/server');
    expect(a.args).toEqual(['/srv/wd/data', '/srv/shared/x.json', '/srv/wd', '/srv', 'sandbox', '--dir=./x', '-v', '.hidden', 'https://example.com/./a', '@scope/pkg']);
    expect(a.env).toEqual({ MEMORY_FILE_PATH: '/srv/wd/.watchdog/memory.jsonl', UP: '/srv/up', NAME: '.watchdog/plain', TOKEN: 'abc' });
    expect(['.\\win', '..\\up'].every(isConfigRelative)).toBe(true); // resolved with the platform's separator
    expect(a.cwd).toBe('/srv/work');
  });
});
