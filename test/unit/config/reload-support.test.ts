/**
 * The config pieces of issue 13: admin tokens (separate from client tokens, never printed), the diff a
 * reload applies, and reading the daemon's address without the config's `${VAR}` secrets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, diffConfig, locateDaemon, parseConfig } from '../../../src/config/index.js';

const CLIENT = 'client-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef0';
const parse = (source: string, env: Record<string, string> = {}) => parseConfig(source, { file: 'watchdog.yaml', baseDir: '/srv/wd', env });

describe('gateway.auth.adminTokens', () => {
  test('comma lists, blank entries dropped, so an unset variable means none', () => {
    expect(parse('gateway: { auth: { adminTokens: ["${A:-}"] } }').config.gateway.auth.adminTokens).toEqual([]);
    expect(parse('gateway: { auth: { adminTokens: ["${A}"] } }', { A: `${ADMIN}, other-admin-token-000000` }).config.gateway.auth.adminTokens).toEqual([ADMIN, 'other-admin-token-000000']);
  });

  test('a token that is both a client and an admin token is an error that does not print it', () => {
    let error: ConfigError | undefined;
    try {
      parse(`gateway: { auth: { tokens: [${CLIENT}], adminTokens: [${ADMIN}, ${CLIENT}] } }`);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/gateway\.auth\.adminTokens: adminTokens entry 2 is also a client token/);
    expect(error?.message).not.toContain(CLIENT);
  });

  test('a non-loopback bind without admin tokens warns that the admin endpoints are closed', () => {
    const { warnings } = parse(`gateway: { http: { host: 0.0.0.0 }, auth: { tokens: [${CLIENT}] } }`);
    expect(warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/\/status, \/metrics and \/findings are closed/));
    expect(parse(`gateway: { http: { host: 0.0.0.0 }, auth: { tokens: [${CLIENT}], adminTokens: [${ADMIN}] } }`).warnings).toEqual([]);
  });
});

describe('diffConfig', () => {
  const base = `
gateway: { http: { port: 8765 } }
upstreams:
  - { name: a, command: node, args: [a.js] }
  - { name: b, command: node, args: [b.js], env: { K: v1 } }
  - { name: c, url: "https://c.example/mcp" }
`;
  test('upstreams by name and whole definition', () => {
    const next = base.replace('K: v1', 'K: v2').replace('  - { name: c, url: "https://c.example/mcp" }\n', '  - { name: d, command: node }\n');
    const diff = diffConfig(parse(base).config, parse(next).config);
    expect(diff.upstreams).toEqual({ added: ['d'], removed: ['c'], changed: ['b'], unchanged: ['a'] });
    expect(diff).toMatchObject({ policy: false, naming: false, tokens: false, needsRestart: [], any: true });
  });

  test('policy, naming and tokens apply live; the listener and the store need a restart', () => {
    const next = base.replace('{ http: { port: 8765 } }', `{ http: { port: 9000, path: /x }, separator: "_", store: other.db, auth: { tokens: [${CLIENT}] } }`) + 'policy: { mode: monitor }\n';
    const diff = diffConfig(parse(base).config, parse(next).config);
    expect(diff.upstreams.changed).toEqual([]);
    expect(diff).toMatchObject({ policy: true, naming: true, tokens: true });
    expect(diff.needsRestart).toEqual(['gateway.http.port', 'gateway.http.path', 'gateway.store']);
  });

  test('an identical config is no change', () => {
    expect(diffConfig(parse(base).config, parse(base).config).any).toBe(false);
  });
});

describe('locateDaemon', () => {
  test('reads the listener and store without the secrets an upstream needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-locate-'));
    const file = join(dir, 'watchdog.yaml');
    writeFileSync(file, `
gateway:
  http: { host: "\${HOST:-0.0.0.0}", port: "\${PORT:-9123}" }
  auth: { tokens: ["\${CLIENT_TOKENS}"], adminTokens: ["\${ADMINS}"] }
  store: data/wd.db
upstreams:
  - { name: x, command: node, env: { KEY: "\${NOT_SET_ANYWHERE}" } }
`);
    expect(locateDaemon(file, {})).toEqual({ adminUrl: 'http://127.0.0.1:9123', store: join(dir, 'data/wd.db'), loopback: false });
    expect(locateDaemon(file, { HOST: '::1', PORT: '7000', ADMINS: ` ,${ADMIN},x` })).toEqual({ adminUrl: 'http://[::1]:7000', store: join(dir, 'data/wd.db'), loopback: true, adminToken: ADMIN });
  });

  test('defaults when the gateway block is absent: the store is the state folder one the daemon uses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-locate-'));
    const file = join(dir, 'watchdog.yaml');
    writeFileSync(file, 'upstreams: []\n');
    const env = { XDG_STATE_HOME: '/var/state' };
    expect(locateDaemon(file, env)).toEqual({ adminUrl: 'http://127.0.0.1:8765', store: '/var/state/mcp-watchdog/watchdog.db', loopback: true });
    expect(locateDaemon(file, env).store).toBe(parseConfig('upstreams: []\n', { file, baseDir: dir, env }).config.gateway.store);
  });

  test('a store whose variable is unset falls back to the state folder default too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-locate-'));
    const file = join(dir, 'watchdog.yaml');
    writeFileSync(file, 'gateway:\n  store: ${DB}\n');
    expect(locateDaemon(file, { XDG_STATE_HOME: '/var/state', DB: 'data/w.db' }).store).toBe(join(dir, 'data/w.db'));
    expect(locateDaemon(file, { XDG_STATE_HOME: '/var/state' }).store).toBe('/var/state/mcp-watchdog/watchdog.db');
  });
});
