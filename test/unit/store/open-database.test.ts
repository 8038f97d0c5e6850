import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MIGRATIONS, openDatabase } from '../../../src/store/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  test('creates missing folders, enables WAL and busy_timeout, migrates to the latest version', () => {
    const file = join(dir, 'nested', 'deeper', 'watchdog.db');
    const db = openDatabase(file, { busyTimeoutMs: 1234 });
    try {
      expect(existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      expect(tables).toEqual(['baselines', 'counters', 'events', 'findings', 'flow_origins', 'flows', 'meta', 'pins', 'sqlite_sequence', 'verdicts']);
    } finally {
      db.close();
    }
  });

  test('applies only the pending steps on reopen', () => {
    const file = join(dir, 'w.db');
    const steps = ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (y INTEGER)'];
    openDatabase(file, { migrations: steps.slice(0, 1) }).close();
    const db = openDatabase(file, { migrations: steps });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'b')").pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });

  test('a failing step rolls back with its version bump', () => {
    const file = join(dir, 'w.db');
    expect(() => openDatabase(file, { migrations: ['CREATE TABLE a (x)', 'CREATE TABLE b (y); SELECT * FROM nope'] })).toThrow(/nope/);
    const db = openDatabase(file, { migrations: ['CREATE TABLE a (x)'] });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  test('refuses a database from a newer version', () => {
    const file = join(dir, 'w.db');
    openDatabase(file, { migrations: ['SELECT 1', 'SELECT 2', 'SELECT 3'] }).close();
    expect(() => openDatabase(file, { migrations: ['SELECT 1'] })).toThrow(/schema version 3 is newer/);
  });

  test('file, -wal and -shm are 0600, a created folder 0700, secure_delete on (issue 7, item 14)', () => {
    const file = join(dir, 'private', 'watchdog.db');
    const db = openDatabase(file);
    try {
      db.prepare("INSERT INTO meta (key, value) VALUES ('k', x'00')").run();
      const mode = (path: string) => statSync(path).mode & 0o777;
      expect(mode(join(dir, 'private'))).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, mode(path)]).toEqual([path, 0o600]);
      expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  test('an existing store readable by others is narrowed to 0600 on open', () => {
    const file = join(dir, 'w.db');
    openDatabase(file).close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o666);
    openDatabase(file).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
