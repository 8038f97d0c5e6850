import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateDaemon, parseConfig } from '../../../src/config/index.js';

function configFile(text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'watchdog-locate-'));
  const path = join(dir, 'watchdog.yaml');
  writeFileSync(path, text);
  return { dir, path };
}

describe('locateDaemon finds the store the daemon of a config uses (issue 13 with issue 7, item 18)', () => {
  it('is the state folder default when the config names no store, as the daemon itself resolves it', () => {
    const env = { XDG_STATE_HOME: '/var/state' };
    const { dir, path } = configFile('gateway:\n  http: { port: 9001 }\nupstreams: []\n');
    const located = locateDaemon(path, env);
    expect(located.store).toBe('/var/state/mcp-watchdog/watchdog.db');
    expect(located.store).toBe(parseConfig('gateway:\n  http: { port: 9001 }\nupstreams: []\n', { file: path, baseDir: dir, env }).config.gateway.store);
    expect(located.adminUrl).toBe('http://127.0.0.1:9001');
  });

  it('is relative to the config file when named, and the default again when its variable is unset', () => {
    const env = { XDG_STATE_HOME: '/var/state', DB: 'data/w.db' };
    const named = configFile('gateway:\n  store: ${DB}\n');
    expect(locateDaemon(named.path, env).store).toBe(join(named.dir, 'data/w.db'));
    expect(locateDaemon(named.path, { XDG_STATE_HOME: '/var/state' }).store).toBe('/var/state/mcp-watchdog/watchdog.db');
  });
});
