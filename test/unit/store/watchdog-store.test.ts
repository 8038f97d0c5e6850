import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openDatabase, openWatchdogStore } from '../../../src/store/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('opens one file with both stores; close is idempotent and closes the handle', async () => {
  const store = openWatchdogStore(join(dir, 'state', 'watchdog.db'), { findings: { maxRows: 5 }, events: { maxEventsPerStream: 3 } });
  store.findings.record([
    { id: 'f_000000000001', time: Date.now(), upstream: 'fs', direction: 'to_client', method: 'tools/list', rule: 'r', severity: 'medium', action: 'alert', path: 'tools[0].description', match: 'abcdefgh' },
  ]);
  const eventId = await store.events.storeEvent('s', { jsonrpc: '2.0', method: 'notifications/message' });
  expect(store.findings.counts().total).toBe(1);
  expect(await store.events.getStreamIdForEventId(eventId)).toBe('s');
  store.close();
  store.close();
  expect(store.db.open).toBe(false);
  expect(() => store.findings.counts()).toThrow('closed');
});

test('data persists across close and reopen of the same file', () => {
  const file = join(dir, 'watchdog.db');
  const first = openWatchdogStore(file);
  first.findings.record([
    { id: 'f_000000000002', time: Date.now(), upstream: 'mem', direction: 'to_upstream', method: 'tools/call', rule: 'r', severity: 'high', action: 'block', path: 'arguments.url', match: 'http://169.254.169.254/' },
  ]);
  first.close();
  const second = openWatchdogStore(file);
  try {
    expect(second.findings.query().map((f) => f.id)).toEqual(['f_000000000002']);
  } finally {
    second.close();
  }
});

test("a call's flow rows commit at the end of the tick; its answer's event and its baseline stay in memory (issue 14)", async () => {
  const file = join(dir, 'watchdog.db');
  const store = openWatchdogStore(file);
  const reader = openDatabase(file, { readonly: true });
  const committed = () => reader.prepare('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM baselines) + (SELECT count(*) FROM flows)').pluck().get();
  const commits: string[] = [];
  const exec = store.db.exec.bind(store.db);
  store.db.exec = (sql: string) => {
    commits.push(sql);
    return exec(sql);
  };
  try {
    const now = Date.now();
    await store.events.storeEvent('s', { jsonrpc: '2.0', id: 1, result: {} });
    store.baselines.update('tool:fs/read', { clean: 1 }, now);
    store.flows.remember({ upstream: 'fs', method: 'tools/call', session: 's' }, ['fp-1', 'fp-2'], now);
    expect(committed()).toBe(0);
    expect(store.baselines.get('tool:fs/read')?.samples).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed()).toBe(2);
    expect(store.events.size().events).toBe(1);
    expect(commits).toEqual([]); // the flow rows' queue commits on its own
    store.baselines.flush(); // what the timer does every flushMs: joins the tick's transaction
    expect(committed()).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed()).toBe(3);
    expect(commits).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
  } finally {
    reader.close();
    store.close();
  }
});

test('baselines are written behind: every flushMs and at close; a crash loses at most the samples since the last write (issue 14)', async () => {
  const file = join(dir, 'watchdog.db');
  const samples = (s: ReturnType<typeof openWatchdogStore>) => s.baselines.get('tool:fs/read')?.samples;
  const first = openWatchdogStore(file, { baselines: { flushMs: 50 } });
  const reader = openDatabase(file, { readonly: true });
  const stored = () => reader.prepare("SELECT count(*) FROM baselines WHERE key = 'tool:fs/read'").pluck().get();
  try {
    const now = Date.now();
    for (let i = 0; i < 5; i++) first.baselines.update('tool:fs/read', { clean: 1 }, now + i);
    expect(stored()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stored()).toBe(1);
    // A gateway that dies now (no close) leaves the 5 samples written, not the 2 since.
    first.baselines.update('tool:fs/read', { clean: 1 }, now + 10);
    first.baselines.update('tool:fs/read', { clean: 1 }, now + 11);
    const crashed = openWatchdogStore(file, { baselines: { flushMs: 60_000 } });
    expect(samples(crashed)).toBe(5);
    crashed.close();
    expect(samples(first)).toBe(7);
    first.close();
    const reopened = openWatchdogStore(file);
    expect(samples(reopened)).toBe(7);
    reopened.close();
  } finally {
    reader.close();
    first.close();
  }
});

test('with a commit window, the flow rows of several calls reach the file together after it (issue 14)', async () => {
  const file = join(dir, 'window.db');
  const store = openWatchdogStore(file, { commitWindowMs: 80 });
  const reader = openDatabase(file, { readonly: true });
  const rows = () => reader.prepare('SELECT count(*) FROM flows').pluck().get();
  try {
    const origin = { upstream: 'crm', method: 'tools/call', tool: 'get' };
    store.flows.remember(origin, ['a'], Date.now());
    await new Promise((resolve) => setImmediate(resolve));
    store.flows.remember(origin, ['b'], Date.now());
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows()).toBe(0);
    expect(store.flows.lookup(['a', 'b'])).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(rows()).toBe(2);
  } finally {
    reader.close();
    store.close();
  }
});
