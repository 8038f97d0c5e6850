import { describe, expect, test } from 'vitest';
import { ConfigError, interpolate, parseConfig } from '../../../src/config/index.js';

const ENV = { TOKEN: 's3cret', EMPTY: '', ROOT: '/data', PORT: '9000' };

function load(source: string, env: Record<string, string> = ENV) {
  return parseConfig(source, { file: 'watchdog.yaml', baseDir: '/srv/wd', env }).config;
}

function problemsOf(source: string, env: Record<string, string> = ENV) {
  try {
    load(source, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('interpolate()', () => {
  test('replaces ${VAR} with its value', () => {
    expect(interpolate('Bearer ${TOKEN}', ENV)).toEqual({ ok: true, value: 'Bearer s3cret' });
  });

  test('uses the default when the variable is unset or empty, the value otherwise', () => {
    expect(interpolate('${MISSING:-fallback}', ENV)).toEqual({ ok: true, value: 'fallback' });
    expect(interpolate('${EMPTY:-fallback}', ENV)).toEqual({ ok: true, value: 'fallback' });
    expect(interpolate('${TOKEN:-fallback}', ENV)).toEqual({ ok: true, value: 's3cret' });
    expect(interpolate('${MISSING:-}', ENV)).toEqual({ ok: true, value: '' });
  });

  test('a set but empty variable without default is the empty string', () => {
    expect(interpolate('[${EMPTY}]', ENV)).toEqual({ ok: true, value: '[]' });
  });

  test('$${ escapes a literal ${', () => {
    expect(interpolate('cost $${TOKEN} and ${ROOT}', ENV)).toEqual({ ok: true, value: 'cost ${TOKEN} and /data' });
    expect(interpolate('$$${TOKEN}', ENV)).toEqual({ ok: true, value: '$${TOKEN}' });
  });

  test('a bare $VAR and a lone $ are left alone', () => {
    expect(interpolate('$TOKEN costs $5', ENV)).toEqual({ ok: true, value: '$TOKEN costs $5' });
  });

  test('reports every missing variable by name', () => {
    const result = interpolate('${A_MISSING}/${B_MISSING}/${TOKEN}', ENV);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.messages).toHaveLength(2);
      expect(result.messages[0]).toContain('A_MISSING is not set');
      expect(result.messages[1]).toContain('B_MISSING is not set');
    }
  });

  test('rejects malformed references', () => {
    expect(interpolate('${1BAD}', ENV)).toMatchObject({ ok: false, messages: [expect.stringContaining('invalid reference "${1BAD}"')] });
    expect(interpolate('${TOKEN', ENV)).toMatchObject({ ok: false, messages: [expect.stringContaining('unterminated')] });
  });
});

describe('interpolation inside a config', () => {
  test('reaches headers, env, args, url and nested strings', () => {
    const config = load(`
upstreams:
  - name: local
    command: \${ROOT}/bin/server
    args: ["--root", "\${ROOT}", "--port=\${PORT}", "literal $\${ROOT}"]
    env:
      API_TOKEN: \${TOKEN}
      MODE: \${MODE:-safe}
  - name: remote
    url: http://127.0.0.1:\${PORT}/mcp
    headers:
      Authorization: Bearer \${TOKEN}
`);
    const [local, remote] = config.upstreams;
    expect(local).toMatchObject({
      command: '/data/bin/server',
      args: ['--root', '/data', '--port=9000', 'literal ${ROOT}'],
      env: { API_TOKEN: 's3cret', MODE: 'safe' },
    });
    expect(remote).toMatchObject({ url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: 'Bearer s3cret' } });
  });

  test('mapping keys are not interpolated', () => {
    const config = load('upstreams:\n  - name: a\n    command: x\n    env:\n      ${TOKEN}: v\n');
    expect(config.upstreams[0]).toMatchObject({ env: { '${TOKEN}': 'v' } });
  });

  test('a missing variable names the variable, the path and the line where it is used', () => {
    const problems = problemsOf('upstreams:\n  - name: a\n    command: x\n    args:\n      - ok\n      - ${NOPE_VAR}\n');
    expect(problems).toEqual([
      expect.objectContaining({ path: 'upstreams[0].args[1]', line: 6, column: 9, message: expect.stringContaining('NOPE_VAR is not set') }),
    ]);
  });

  test('an interpolated value stays a string, so a number field says what it expected', () => {
    const problems = problemsOf('upstreams:\n  - name: a\n    command: x\n    timeout: ${PORT}\n');
    expect(problems).toEqual([expect.objectContaining({ path: 'upstreams[0].timeout', line: 4, message: 'expected a number, got a string' })]);
  });

  test('gateway.http.port accepts an interpolated number (deployments set it from the environment)', () => {
    const config = parseConfig('gateway:\n  http:\n    port: ${PORT:-9000}\n', { file: 'w.yaml', baseDir: '/srv', env: {} }).config;
    expect(config.gateway.http.port).toBe(9000);
    expect(problemsOf('gateway:\n  http:\n    port: ${WD_UNSET_PORT:-nine}\n')).toEqual([expect.objectContaining({ path: 'gateway.http.port', line: 3 })]);
  });

  test('process.env is the default source', () => {
    const name = `WATCHDOG_TEST_${process.pid}`;
    process.env[name] = 'from-process';
    try {
      const config = parseConfig(`upstreams:\n  - name: a\n    command: \${${name}}\n`, { file: 'w.yaml', baseDir: '/srv' }).config;
      expect(config.upstreams[0]).toMatchObject({ command: 'from-process' });
    } finally {
      delete process.env[name];
    }
  });

  test('an Object.prototype member name is an unset variable, not a function (issue 7, item 1)', () => {
    expect(interpolate('${constructor:-d}', ENV)).toEqual({ ok: true, value: 'd' });
    expect(interpolate('${toString}', ENV).ok).toBe(false);
  });
});
