/**
 * Issue 7, item 14: the resumable-stream event store holds only redacted copies. A gateway in monitor
 * mode (so the secret reaches the client verbatim) serves a 2025-11-25 session over SSE with a bearer
 * token; the echo upstream returns a secret-shaped value, its own configured env value and the client
 * token. None of them may appear in the bytes of the SQLite file, its -wal or its -shm, while the gateway
 * runs or after it closed; the files are 0600.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectHttp, NODE, startGateway, tempDir, textOf, TOY } from '../helpers/gateway.js';

const TOKEN = 'client-token-5b1f0e9a7c3d2468';
const ENV_SECRET = 'env-secret-9d8c7b6a5f4e3d2c';
const GITHUB = `ghp_${'Zq9xW3vB7nM1kL5jH8gF2dS6aP4oI0uY7tR3'}`;

function filesOf(db: string): string[] {
  return [db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f));
}

function leaks(db: string): string[] {
  const found: string[] = [];
  for (const file of filesOf(db)) {
    const bytes = readFileSync(file);
    for (const secret of [TOKEN, ENV_SECRET, GITHUB]) if (bytes.includes(secret)) found.push(`${file}: ${secret}`);
  }
  return found;
}

describe('event store on disk', () => {
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
      const stored = gateway.app.store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      expect(stored).toBeGreaterThan(0);
      expect(leaks(db)).toEqual([]);
      for (const file of filesOf(db)) expect([file, statSync(file).mode & 0o777]).toEqual([file, 0o600]);
      await client.close();
    } finally {
      await gateway.close();
    }
    expect(leaks(db)).toEqual([]);
  });
});
