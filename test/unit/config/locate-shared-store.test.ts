/**
 * `watchdog pins` on a redis:// store (issue 16) reads only the shared store's settings from a config:
 * the URL and the `gateway.redis` block, interpolated; an upstream's unset secret and the local
 * findings file's variables do not matter, the block's own password variable does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, locateSharedStore } from '../../../src/config/index.js';
import { tempDir } from '../../helpers/gateway.js';

function file(text: string): string {
  const dir = tempDir('locate-shared-');
  const path = join(dir, 'watchdog.yaml');
  writeFileSync(path, text);
  return path;
}

const SHARED = `
gateway:
  store: "redis://\${VALKEY_HOST:-127.0.0.1}:6380/2"
  redis: { password: "\${VALKEY_PASSWORD}", keyPrefix: team, localStore: "/data/\${REPLICA}.db", tls: { ca: certs/ca.pem } }
upstreams:
  - { name: gh, command: gh-mcp, env: { GITHUB_TOKEN: "\${GITHUB_TOKEN}" } }
`;

describe('locateSharedStore', () => {
  test('reads the URL and the redis block without the upstreams\' or the local file\'s variables', () => {
    const path = file(SHARED);
    const found = locateSharedStore(path, { VALKEY_PASSWORD: 'pw-0123' });
    expect(found?.url).toBe('redis://127.0.0.1:6380/2');
    expect(found?.options).toMatchObject({ password: 'pw-0123', keyPrefix: 'team', connectTimeoutMs: 5000, tls: { ca: join(path, '..', 'certs/ca.pem') } });
    expect(found?.options.localStore).toBeUndefined();
  });

  test('an unset password variable is a config error naming it', () => {
    expect(() => locateSharedStore(file(SHARED), {})).toThrow(ConfigError);
    expect(() => locateSharedStore(file(SHARED), {})).toThrow(/gateway\.redis\.password: environment variable VALKEY_PASSWORD is not set/);
  });

  test('a SQLite store, or none, is not a shared store; a bad block is an error', () => {
    expect(locateSharedStore(file('gateway: { store: ./w.db }\n'), {})).toBeUndefined();
    expect(locateSharedStore(file('upstreams: []\n'), {})).toBeUndefined();
    expect(() => locateSharedStore(file('gateway: { store: "redis://h:1/0", redis: { keyPrefix: "a b" } }\n'), {})).toThrow(/gateway\.redis\.keyPrefix: must match/);
  });
});
