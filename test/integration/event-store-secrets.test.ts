/**
 * Issue 7, item 14: no secret that travelled on a resumable stream reaches the disk. Since issue 14 the
 * resumable-stream events live in the gateway's memory only (MemoryEventStore), so this proves they are
 * held (a reconnect could replay them) while the store file holds none of them. A gateway in monitor
 * mode (so the secret reaches the client verbatim) serves a 2025-11-25 session over SSE with a bearer
 * token; the echo upstream returns a secret-shaped value, its own configured env value and the client
 * token. None of them may appear in the bytes of the SQLite file, its -wal or its -shm, while the gateway
 * runs or after it closed; the files are 0600. The same holds for secrets that only a reloaded config
 * names (a new client token, admin token or env value: issue 13's hot reload).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { connectHttp, NODE, quietLog, startGateway, tempDir, textOf, TOY, waitFor } from '../helpers/gateway.js';

const TOKEN = 'client-token-5b1f0e9a7c3d2468';
const ENV_SECRET = 'env-secret-9d8c7b6a5f4e3d2c';
const GITHUB = `ghp_${'Zq9xW3vB7nM1kL5jH8gF2dS6aP4oI0uY7tR3'}`;

function filesOf(db: string): string[] {
  return [db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f));
}

function leaks(db: string, secrets = [TOKEN, ENV_SECRET, GITHUB]): string[] {
  const found: string[] = [];
  for (const file of filesOf(db)) {
    const bytes = readFileSync(file);
    for (const secret of secrets) if (bytes.includes(secret)) found.push(`${file}: ${secret}`);
  }
  return found;
}

describe('resumable-stream events and the disk', () => {
  it('never holds a secret that travelled on a resumable stream', async () => {
    const dir = tempDir();
    const db = join(dir, 'store', 'watchdog.db');
    const gateway = await startGateway(
      `
gateway: { http: { port: 0 }, auth: { tokens: ["${TOKEN}"] }, store: store/watchdog.db }
policy: { mode: monitor }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}], env: { API_KEY: "${ENV_SECRET}" } }
`,
      { baseDir: dir },
    );
    try {
      const client = await connectHttp(gateway.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      const text = `${GITHUB} ${ENV_SECRET} ${TOKEN}`;
      const result = await client.callTool({ name: 'toy__echo', arguments: { text } });
      expect(textOf(result)).toBe(`toy:${text}`); // monitor mode: the client got it verbatim
      expect(gateway.app.store.events.size().events).toBeGreaterThan(0);
      expect(leaks(db)).toEqual([]);
      for (const file of filesOf(db)) expect([file, statSync(file).mode & 0o777]).toEqual([file, 0o600]);
      await client.close();
    } finally {
      await gateway.close();
    }
    expect(leaks(db)).toEqual([]);
  });

  it('hides the secrets of a reloaded config: a token and an env value that only the new file names', async () => {
    const dir = tempDir();
    const db = join(dir, 'watchdog.db');
    const file = join(dir, 'watchdog.yaml');
    const NEW_TOKEN = 'client-token-added-by-reload-31c4';
    const NEW_ENV = 'env-secret-added-by-reload-77e2a1';
    const ADMIN = 'admin-token-added-by-reload-0f9d';
    const yaml = (tokens: string[], env: string, admin: string[]) => `
gateway: { http: { port: 0 }, auth: { tokens: ${JSON.stringify(tokens)}, adminTokens: ${JSON.stringify(admin)} }, store: watchdog.db, watchConfig: false }
policy: { mode: monitor }
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}], env: { API_KEY: "${env}" } }
`;
    writeFileSync(file, yaml([TOKEN], ENV_SECRET, []));
    const loaded = loadConfig(file);
    const app = createApp(loaded.config, { log: quietLog(), configPath: file, configHash: loaded.hash });
    try {
      const door = await app.serveHttp();
      writeFileSync(file, yaml([TOKEN, NEW_TOKEN], NEW_ENV, [ADMIN]));
      expect((await app.reload('test')).ok).toBe(true);
      // The env change restarts the upstream; wait for the new one before calling it.
      await waitFor(() => (app.gateway.snapshot().upstreams.find((u) => u.name === 'toy')?.state === 'ready' ? true : undefined), 10_000, 'the restarted upstream');
      const client = await connectHttp(door.url, { headers: { authorization: `Bearer ${NEW_TOKEN}` } });
      const text = `${NEW_TOKEN} ${NEW_ENV} ${ADMIN}`;
      expect(textOf(await client.callTool({ name: 'toy__echo', arguments: { text } }))).toBe(`toy:${text}`);
      expect(app.store.events.size().events).toBeGreaterThan(0);
      expect(leaks(db, [NEW_TOKEN, NEW_ENV, ADMIN])).toEqual([]);
      await client.close();
    } finally {
      await app.close();
    }
    expect(leaks(db, [NEW_TOKEN, NEW_ENV, ADMIN])).toEqual([]);
  });
});
