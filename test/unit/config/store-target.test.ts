/** `gateway.store` as a SQLite path or a Redis URL, and the `gateway.redis` block (issue 16). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, diffConfig, displayStoreUrl, locateDaemon, parseConfig, redisTarget, storePathOf } from '../../../src/config/index.js';

const env = { XDG_STATE_HOME: '/var/state', VALKEY_PASSWORD: 'pw-from-env' };
const parse = (source: string) => parseConfig(source, { file: 'watchdog.yaml', baseDir: '/srv/wd', env });

function problems(source: string): string[] {
  try {
    parse(source);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway.store', () => {
  test('a path and a sqlite:// URL both name the SQLite file, made absolute against the config folder', () => {
    expect(parse('gateway: { store: data/w.db }').config.gateway.store).toBe('/srv/wd/data/w.db');
    expect(parse('gateway: { store: "sqlite:///var/lib/w.db" }').config.gateway.store).toBe('/var/lib/w.db');
    expect(parse('gateway: { store: "sqlite://data/w.db" }').config.gateway.store).toBe('/srv/wd/data/w.db');
  });

  test('a redis:// URL stays as written; the local findings file defaults to the state folder and is made absolute', () => {
    const { config } = parse('gateway: { store: "redis://valkey:6379/2" }');
    expect(config.gateway.store).toBe('redis://valkey:6379/2');
    expect(config.gateway.redis).toEqual({ keyPrefix: 'watchdog', connectTimeoutMs: 5000, localStore: '/var/state/mcp-watchdog/watchdog.db' });
    expect(storePathOf(config.gateway)).toBe('/var/state/mcp-watchdog/watchdog.db');
    const named = parse('gateway: { store: "rediss://v:6380", redis: { localStore: data/r1.db, keyPrefix: team-a, tls: { ca: certs/ca.pem } } }').config.gateway;
    expect(named.redis?.localStore).toBe('/srv/wd/data/r1.db');
    expect(named.redis?.tls).toEqual({ ca: '/srv/wd/certs/ca.pem', rejectUnauthorized: true });
  });

  test('auth comes from the redis block (interpolated) before the URL; TLS is on for rediss:// or a tls block', () => {
    const { config } = parse('gateway:\n  store: "redis://urluser:urlpw@10.0.0.5:6390/3"\n  redis: { password: "${VALKEY_PASSWORD}" }\n');
    expect(redisTarget(config.gateway.store as string, config.gateway.redis)).toEqual({ host: '10.0.0.5', port: 6390, db: 3, tls: false, username: 'urluser', password: 'pw-from-env' });
    expect(redisTarget('rediss://[::1]')).toEqual({ host: '::1', port: 6379, db: 0, tls: true });
    expect(redisTarget('redis://h', { tls: { rejectUnauthorized: true } }).tls).toBe(true);
    expect(redisTarget('redis://:p%40ss@h').password).toBe('p@ss');
  });

  test('what is shown never carries the password', () => {
    expect(displayStoreUrl('redis://user:secret-pw@h:6379/1')).toBe('redis://user:***@h:6379/1');
    expect(displayStoreUrl('redis://h:6379')).toBe('redis://h:6379');
    expect(displayStoreUrl('/var/w.db')).toBe('/var/w.db');
  });

  test('other schemes, hostless or optioned URLs and a non-numeric database are errors at the store path', () => {
    expect(problems('gateway: { store: "postgres://db/x" }')).toEqual(['gateway.store: unsupported store URL "postgres://": use a SQLite path, sqlite://, redis:// or rediss://']);
    expect(problems('gateway: { store: "redis://h/cache" }')[0]).toContain('must be a number');
    expect(problems('gateway: { store: "redis://h:6379/0?tls=true" }')[0]).toContain('gateway.redis');
    expect(problems('gateway: { store: "redis://h", redis: { keyPrefix: "a b" } }')[0]).toContain('gateway.redis.keyPrefix');
    expect(problems('gateway: { store: "redis://h", redis: { tls: { verify: false } } }')[0]).toContain('gateway.redis.tls');
  });

  test('a redis block without a Redis URL is a warning; changing either needs a restart', () => {
    expect(parse('gateway: { redis: { keyPrefix: x } }').warnings.map((w) => w.message)).toEqual(['gateway.redis is ignored: gateway.store is not a redis:// or rediss:// URL']);
    const a = parse('gateway: { store: "redis://h" }').config;
    const b = parse('gateway: { store: "redis://h", redis: { keyPrefix: other } }').config;
    expect(diffConfig(a, b).needsRestart).toEqual(['gateway.redis']);
  });

  test('watchdog findings and status read the local file of a Redis-backed gateway', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-store-url-'));
    try {
      const file = join(dir, 'watchdog.yaml');
      writeFileSync(file, 'gateway:\n  store: redis://:pw@h:6379\n  redis: { localStore: local/r.db }\n');
      expect(locateDaemon(file, {}).store).toBe(join(dir, 'local/r.db'));
      writeFileSync(file, 'gateway:\n  store: redis://h:6379\n');
      expect(locateDaemon(file, env).store).toBe('/var/state/mcp-watchdog/watchdog.db');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
