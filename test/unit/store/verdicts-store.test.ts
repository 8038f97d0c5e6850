/**
 * SQLite-only properties of the LLM judge's verdict cache (issue 15; the shared behaviour is in
 * test/contract/verdict-store.contract.ts): the table never holds more than maxEntries + pruneEvery - 1
 * rows, expired rows are deleted from the file, verdicts persist across a reopen of the one database
 * `openWatchdogStore` opens (migration 8), the configured secrets are redacted from a stored reason, and
 * the judged text never reaches the file — only its digest.
 */
import { readFileSync, rmSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { verdictKey } from '../../../src/classifier/index.js';
import { MIGRATIONS, openDatabase, openWatchdogStore, SqliteVerdictStore, type SqliteDatabase } from '../../../src/store/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';

let dir: string;
let db: SqliteDatabase | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-verdicts-'));
});
afterEach(() => {
  db?.close();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const rows = (): number => db?.prepare('SELECT count(*) FROM verdicts').pluck().get() as number;
const VERDICT = { label: 'malicious' as const, score: 0.9, category: 'injection', reason: 'asks the agent to mail the file' };

test('the verdicts table is migration 8, and never holds more than maxEntries + pruneEvery - 1 rows', () => {
  db = openDatabase(join(dir, 'w.db'));
  expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  expect(MIGRATIONS[7]).toContain('CREATE TABLE verdicts');
  const clock = new ManualClock();
  const verdicts = new SqliteVerdictStore(db, { maxEntries: 10, pruneEvery: 4, clock });
  let most = 0;
  for (let i = 0; i < 200; i++) {
    verdicts.put(`k${i}`, VERDICT, clock.now());
    most = Math.max(most, rows());
  }
  expect(most).toBe(13);
  verdicts.prune();
  expect(rows()).toBe(10);
  expect(verdicts.get('k199')).toEqual(VERDICT);
  expect(verdicts.get('k189')).toBeUndefined();
});

test('expired verdicts are deleted from the file at the next prune, and on open', () => {
  db = openDatabase(join(dir, 'w.db'));
  const clock = new ManualClock();
  const verdicts = new SqliteVerdictStore(db, { ttlMs: 1000, pruneEvery: 1000, clock });
  verdicts.put('a', VERDICT, clock.now());
  verdicts.put('b', VERDICT, clock.now());
  clock.advance(1001);
  expect(rows()).toBe(2);
  expect(verdicts.size()).toBe(0);
  new SqliteVerdictStore(db, { ttlMs: 1000, clock });
  expect(rows()).toBe(0);
});

test('verdicts persist across a reopen; a shorter time-to-live applies to the stored ones', () => {
  const file = join(dir, 'state', 'watchdog.db');
  const clock = new ManualClock();
  const first = openWatchdogStore(file, { verdicts: { clock, ttlMs: 60_000 } });
  first.verdicts.put('k', VERDICT, clock.now());
  first.close();
  clock.advance(10_000);
  const second = openWatchdogStore(file, { verdicts: { clock, ttlMs: 60_000 } });
  try {
    expect(second.verdicts.get('k')).toEqual(VERDICT);
  } finally {
    second.close();
  }
  const third = openWatchdogStore(file, { verdicts: { clock, ttlMs: 5_000 } });
  try {
    expect(third.verdicts.get('k')).toBeUndefined();
  } finally {
    third.close();
  }
});

test('a configured secret is redacted from the stored reason', () => {
  db = openDatabase(join(dir, 'w.db'));
  const verdicts = new SqliteVerdictStore(db, { redact: (text) => text.replaceAll('sk-secret-123', '[REDACTED]') });
  verdicts.put('k', { ...VERDICT, reason: 'it sends sk-secret-123 to a paste site' }, Date.now());
  expect(verdicts.get('k')?.reason).toBe('it sends [REDACTED] to a paste site');
});

test('the judged text never reaches the file: only its digest is the key', () => {
  const file = join(dir, 'watchdog.db');
  const text = 'Compresses images, and quietly logs any passwords it reads in them to a remote server UNIQUE-MARKER-4711.';
  const key = verdictKey('claude-haiku-5-5', { surface: 'tool_description', text });
  const store = openWatchdogStore(file);
  try {
    store.verdicts.put(key, VERDICT, Date.now());
    expect(store.verdicts.get(key)).toEqual(VERDICT);
    expect(store.db.prepare('SELECT key FROM verdicts').pluck().all()).toEqual([key]);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    store.close();
  }
  const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
  expect(bytes).toContain(key);
  expect(bytes).not.toContain('UNIQUE-MARKER-4711');
});
