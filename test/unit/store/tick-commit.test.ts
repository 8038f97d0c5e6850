import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/store/index.js';
import { TickCommit } from '../../../src/store/tick-commit.js';

let dir: string;
let db: SqliteDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-tick-'));
  db = openDatabase(join(dir, 'watchdog.db'));
  db.exec('CREATE TABLE t (v TEXT)');
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise((resolve) => setImmediate(resolve));
const count = () => {
  const reader = openDatabase(join(dir, 'watchdog.db'), { readonly: true });
  try {
    return reader.prepare('SELECT count(*) FROM t').pluck().get();
  } finally {
    reader.close();
  }
};

describe('TickCommit (issue 14)', () => {
  test('writes joined in one tick commit together at its end; a store transaction inside becomes a savepoint', async () => {
    const group = new TickCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const inTx = db.transaction((v: string) => insert.run(v));
    group.join();
    insert.run('a');
    group.join();
    inTx('b');
    expect(db.inTransaction).toBe(true);
    expect(count()).toBe(0);
    await tick();
    expect(db.inTransaction).toBe(false);
    expect(count()).toBe(2);
  });

  test('deferred writes run inside the transaction before the commit; one failing does not stop the others', async () => {
    const errors: unknown[] = [];
    const group = new TickCommit(db, { onError: (err) => errors.push(err) });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    let inside = false;
    group.join();
    group.beforeCommit(() => {
      inside = db.inTransaction;
      insert.run('deferred');
    });
    group.beforeCommit(() => {
      throw new Error('boom');
    });
    group.beforeCommit(() => insert.run('after the failure'));
    await tick();
    expect(inside).toBe(true);
    expect(count()).toBe(2);
    expect(errors.map(String)).toEqual(['Error: boom']);
  });

  test('a failed commit is rolled back: thrown by flush, reported from the end of the tick', async () => {
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)');
    const errors: unknown[] = [];
    const group = new TickCommit(db, { onError: (err) => errors.push(err) });
    group.flush();
    const orphan = db.prepare('INSERT INTO c (pid) VALUES (99)');
    group.join();
    orphan.run();
    expect(() => group.flush()).toThrow(/FOREIGN KEY/);
    expect(db.inTransaction).toBe(false);
    group.join();
    orphan.run();
    await tick();
    expect(errors.map(String)).toEqual([expect.stringMatching(/FOREIGN KEY/)]);
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) FROM c').pluck().get()).toBe(0);
  });
});

describe('TickCommit with a window (issue 14)', () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('deferred writes of several ticks wait for the window and run together, with no lock held meanwhile', async () => {
    const group = new TickCommit(db, { windowMs: 80 });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const ran: Array<{ v: string; at: number }> = [];
    const t0 = performance.now();
    group.beforeCommit(() => ran.push({ v: 'a', at: performance.now() }) && insert.run('a'));
    await tick();
    group.beforeCommit(() => ran.push({ v: 'b', at: performance.now() }) && insert.run('b'));
    await tick();
    expect(db.inTransaction).toBe(false);
    expect(ran).toEqual([]);
    // Another connection can write meanwhile: the window holds no lock.
    const other = openDatabase(join(dir, 'watchdog.db'), { busyTimeoutMs: 0 });
    try {
      other.prepare('INSERT INTO t (v) VALUES (?)').run('other');
    } finally {
      other.close();
    }
    expect(count()).toBe(1);
    await wait(150);
    expect(count()).toBe(3);
    expect(ran.map((r) => r.v)).toEqual(['a', 'b']);
    expect(Math.min(...ran.map((r) => r.at)) - t0).toBeGreaterThanOrEqual(75);
    expect(Math.abs((ran[1]?.at ?? 0) - (ran[0]?.at ?? 0))).toBeLessThan(20);
  });

  test('a joined transaction commits at the end of its tick and takes the waiting deferred writes with it', async () => {
    const group = new TickCommit(db, { windowMs: 60_000 });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    group.beforeCommit(() => insert.run('deferred'));
    await tick();
    expect(count()).toBe(0);
    group.join();
    insert.run('joined');
    await tick();
    expect(db.inTransaction).toBe(false);
    expect(count()).toBe(2);
  });

  test('flush commits the window at once; a closed handle makes the timer a no-op', async () => {
    const group = new TickCommit(db, { windowMs: 60_000 });
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    group.beforeCommit(() => insert.run('x'));
    group.flush();
    expect(count()).toBe(1);
    group.beforeCommit(() => insert.run('never'));
    db.close();
    expect(() => group.flush()).not.toThrow();
    db = openDatabase(join(dir, 'watchdog.db'));
    expect(count()).toBe(1);
  });
});
