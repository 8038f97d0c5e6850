/**
 * Issue 7, item 8: two gateways starting together on a fresh store used to race the migration
 * (`table meta already exists`). Two real processes open the same fresh SQLite file through the
 * built store (migration, salt, event-store pruning: everything a gateway does on start), released
 * at the same instant, 20 times over; every open must succeed and leave one fully migrated file.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/index.js';
import { ROOT, tempDir } from '../helpers/gateway.js';

const STORE = pathToFileURL(join(ROOT, 'dist/store/index.js')).href;

/**
 * Loads the store, says "ready", reads the start instant from stdin and spins until then (so both
 * processes open within the same millisecond), then opens and closes the store.
 */
const SCRIPT = `
const [file] = process.argv.slice(1);
const { openWatchdogStore } = await import(${JSON.stringify(STORE)});
process.stdout.write('ready\\n');
const at = await new Promise((resolve) => process.stdin.once('data', (d) => resolve(Number(String(d)))));
process.stdin.destroy();
while (Date.now() < at) {}
try {
  openWatchdogStore(file).close();
  process.stdout.write('ok');
} catch (err) {
  process.stdout.write('failed: ' + err.stack);
  process.exitCode = 1;
}
`;

interface Opener {
  ready: Promise<void>;
  go(at: number): void;
  result: Promise<string>;
}

function opener(file: string): Opener {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.startsWith('ready\n')) ready();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const result = new Promise<string>((resolve) => child.on('exit', () => resolve(out.replace(/^ready\n/, ''))));
  void result.then(ready); // a process that dies while loading must not stall the round
  return { ready: isReady, go: (at) => child.stdin.end(String(at)), result };
}

describe('two processes migrating one fresh store', () => {
  it('2 processes × fresh store × 20 starts: 0 failures', async () => {
    const dir = tempDir('wdg-race-');
    const failures: string[] = [];
    for (let round = 0; round < 20; round++) {
      const file = join(dir, `round-${round}`, 'watchdog.db');
      const pair = [opener(file), opener(file)];
      await Promise.all(pair.map((p) => p.ready));
      const at = Date.now() + 30;
      for (const p of pair) p.go(at);
      const results = await Promise.all(pair.map((p) => p.result));
      failures.push(...results.filter((r) => r !== 'ok').map((r) => `round ${round}: ${r}`));
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        expect(db.prepare("SELECT count(*) FROM meta WHERE key = 'finding_salt'").pluck().get()).toBe(1);
      } finally {
        db.close();
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
