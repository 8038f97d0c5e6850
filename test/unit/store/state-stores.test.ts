/**
 * SQLite-only properties of the state stores (the shared behaviour is in test/contract/): the bound
 * holds between prunes (never more than maxEntries + pruneEvery - 1 rows in the table), expired rows
 * are deleted from the file, and the stores share the one database `openWatchdogStore` opens and
 * persist across a reopen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openDatabase, openWatchdogStore, SqliteFlowStore, SqlitePinStore, type SqliteDatabase } from '../../../src/store/index.js';
import type { PinRef } from '../../../src/core/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';

let dir: string;
let db: SqliteDatabase | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-state-'));
});
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ref = (item: string): PinRef => ({ upstream: 'fs', identity: 'id', kind: 'tool', item });
const rows = (table: string): number => db?.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

test('the pins table never holds more than maxEntries + pruneEvery - 1 rows', () => {
  db = openDatabase(join(dir, 'w.db'));
  const clock = new ManualClock();
  const pins = new SqlitePinStore(db, { maxEntries: 10, pruneEvery: 4, clock });
  let most = 0;
  for (let i = 0; i < 200; i++) {
    pins.put({ ...ref(`k${i}`), approved: { digest: 'd', fields: {} }, firstSeen: clock.now(), lastSeen: clock.now() });
    most = Math.max(most, rows('pins'));
  }
  expect(most).toBe(13);
  pins.prune();
  expect(rows('pins')).toBe(10);
  expect(pins.get(ref('k199'))?.approved?.digest).toBe('d');
  expect(pins.get(ref('k189'))).toBeUndefined();
});

test('expired flow rows are deleted from the file at the next prune, and on open', () => {
  const file = join(dir, 'w.db');
  db = openDatabase(file);
  const clock = new ManualClock();
  const flows = new SqliteFlowStore(db, { ttlMs: 1000, pruneEvery: 1000, clock });
  flows.remember({ upstream: 'u', method: 'tools/call' }, ['a', 'b'], clock.now());
  flows.flush();
  clock.advance(1001);
  expect(rows('flows')).toBe(2);
  expect(flows.size()).toBe(0);
  new SqliteFlowStore(db, { ttlMs: 1000, clock });
  expect(rows('flows')).toBe(0);
});

test('an origin is written once, and deleted with the next write once its last read has expired', () => {
  db = openDatabase(join(dir, 'w.db'));
  const clock = new ManualClock();
  const flows = new SqliteFlowStore(db, { ttlMs: 1000, pruneEvery: 1000, clock });
  const [old, live] = [{ upstream: 'old', method: 'tools/call' }, { upstream: 'live', method: 'tools/call' }];
  flows.remember(old, ['a', 'b'], clock.now());
  flows.remember(live, ['c'], clock.now());
  flows.flush();
  expect(rows('flow_origins')).toBe(2);
  clock.advance(600);
  flows.remember(live, ['d'], clock.now());
  flows.flush();
  expect(rows('flow_origins')).toBe(2);
  clock.advance(600);
  flows.remember(live, ['e'], clock.now());
  flows.flush();
  expect(db.prepare('SELECT origin FROM flow_origins').pluck().all()).toEqual([JSON.stringify(live)]);
  // A fresh process loads the live rows with their origins; the rows of the expired one are skipped.
  const reopened = new SqliteFlowStore(db, { ttlMs: 1000, clock });
  expect(reopened.lookup(['a', 'b', 'c', 'd', 'e']).map((h) => `${h.fingerprint}:${h.origin.upstream}`)).toEqual(['e:live', 'd:live']);
});

test('openWatchdogStore holds the state stores on its one database; they persist across a reopen', () => {
  const file = join(dir, 'state', 'watchdog.db');
  const first = openWatchdogStore(file);
  const now = Date.now();
  first.pins.put({ ...ref('read'), approved: { digest: 'abc', fields: {} }, firstSeen: now, lastSeen: now });
  first.pins.decided();
  first.flows.remember({ upstream: 'fs', method: 'tools/call', session: 's' }, ['fp'], now);
  first.baselines.update('fs/read', { bytes: 10 }, now);
  const salt = Buffer.from(first.flows.salt);
  first.close();
  const second = openWatchdogStore(file);
  try {
    expect(Buffer.from(second.flows.salt).equals(salt)).toBe(true);
    expect(second.pins.get(ref('read'))?.approved?.digest).toBe('abc');
    expect(second.pins.decisions()).toBe(1);
    expect(second.flows.lookup(['fp'])).toHaveLength(1);
    expect(second.baselines.get('fs/read')?.samples).toBe(1);
  } finally {
    second.close();
  }
});

test('a decision made through one handle is seen by another handle on the same file (two processes)', () => {
  const file = join(dir, 'shared.db');
  const a = openWatchdogStore(file);
  const b = openWatchdogStore(file);
  try {
    expect(b.pins.decisions()).toBe(0);
    a.pins.put({ ...ref('t'), approved: { digest: 'x', fields: {} }, firstSeen: 1, lastSeen: Date.now() });
    a.pins.decided();
    expect(b.pins.decisions()).toBe(1);
    expect(b.pins.get(ref('t'))?.approved?.digest).toBe('x');
  } finally {
    a.close();
    b.close();
  }
});

test('flow reads are written on the next turn of the event loop and seen through another handle on the same file', async () => {
  const file = join(dir, 'flows.db');
  const a = openWatchdogStore(file);
  const b = openWatchdogStore(file);
  try {
    const origin = { upstream: 'crm', method: 'tools/call', tool: 'get', principal: 'user:alice', labels: ['private'] };
    const t = Date.now();
    a.flows.remember(origin, ['x', 'y'], t);
    // The reading process sees it at once; the file holds it after the queued write.
    expect(a.flows.lookup(['x'], { principal: 'user:alice' })).toEqual([{ fingerprint: 'x', origin, at: t }]);
    expect(a.db.prepare('SELECT count(*) FROM flows').pluck().get()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.db.prepare('SELECT count(*) FROM flows').pluck().get()).toBe(2);
    expect(b.flows.lookup(['y'], { principal: 'user:alice' })).toEqual([{ fingerprint: 'y', origin, at: t }]);
    // A pair remembered again through the other handle is refreshed in both; the log appends a row.
    b.flows.remember(origin, ['x'], t + 1);
    b.flows.flush();
    expect(a.flows.lookup(['x'])).toEqual([{ fingerprint: 'x', origin, at: t + 1 }]);
    expect(a.flows.size()).toBe(2);
    expect(b.db.prepare('SELECT count(*) FROM flows').pluck().get()).toBe(3);
  } finally {
    a.close();
    b.close();
  }
});

test('flow reads still queued are written when the store closes', () => {
  const file = join(dir, 'close.db');
  const first = openWatchdogStore(file);
  first.flows.remember({ upstream: 'fs', method: 'tools/call' }, ['q'], Date.now());
  first.close();
  first.close();
  const second = openWatchdogStore(file);
  try {
    expect(second.flows.lookup(['q'])).toHaveLength(1);
  } finally {
    second.close();
  }
});

test('a flow write refused by a lock another process holds stays queued and is written once later', () => {
  const file = join(dir, 'locked.db');
  db = openDatabase(file, { busyTimeoutMs: 10 });
  const flows = new SqliteFlowStore(db);
  const other = openDatabase(file);
  try {
    other.exec('BEGIN IMMEDIATE');
    flows.remember({ upstream: 'fs', method: 'tools/call' }, ['a', 'b'], Date.now());
    expect(() => flows.flush()).toThrow(/locked|busy/i);
    expect(flows.lookup(['a'])).toHaveLength(1);
    other.exec('COMMIT');
    flows.flush();
    flows.flush();
    expect(rows('flows')).toBe(2);
  } finally {
    other.close();
  }
});
