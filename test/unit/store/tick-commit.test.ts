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
    const group = new TickCommit(db, (err) => errors.push(err));
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
    const group = new TickCommit(db, (err) => errors.push(err));
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
