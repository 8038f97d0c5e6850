import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FindingsStore, hashMatch, openDatabase, type FindingRecord, type SqliteDatabase } from '../../../src/store/index.js';

const SECRET = 'AKIAZZZZPLANTEDSECRET42';
const DAY = 86_400_000;

let dir: string;
let file: string;
let db: SqliteDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-findings-'));
  file = join(dir, 'watchdog.db');
  db = openDatabase(file);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function finding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  counter += 1;
  return {
    id: `f_${counter.toString(16).padStart(12, '0')}`,
    time: 1_700_000_000_000 + counter,
    upstream: 'fs',
    direction: 'to_client',
    method: 'tools/call',
    rule: 'secrets/aws-access-key',
    severity: 'high',
    action: 'redact',
    path: 'content[0].text',
    match: SECRET,
    ...overrides,
  };
}

describe('record and query', () => {
  test('stores every column, with a masked excerpt and salted hash instead of the match', () => {
    const store = new FindingsStore(db, { now: () => 1_700_000_000_000 });
    const row = finding({ session: 's-1', tool: 'fs__read_file' });
    expect(store.record([row])).toBe(1);
    const [stored] = store.query();
    const salt = db.prepare("SELECT value FROM meta WHERE key = 'finding_salt'").pluck().get() as Buffer;
    expect(salt).toHaveLength(32);
    expect(stored).toEqual({
      id: row.id, time: row.time, upstream: 'fs', session: 's-1', direction: 'to_client', method: 'tools/call', tool: 'fs__read_file',
      rule: 'secrets/aws-access-key', severity: 'high', action: 'redact', path: 'content[0].text',
      matchHash: hashMatch(salt, SECRET), excerpt: 'AKI…42 (23 chars)',
    });
    expect(stored).not.toHaveProperty('match');
  });

  test('the raw match is written nowhere in the database files', () => {
    const store = new FindingsStore(db);
    store.record([finding({ time: Date.now() }), finding({ time: Date.now(), match: `prefix ${SECRET} suffix` })]);
    db.pragma('wal_checkpoint(FULL)');
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name)).includes(Buffer.from('PLANTEDSECRET')), name).toBe(false);
    }
  });

  test('the salt survives reopening, so hashes stay comparable across restarts', () => {
    const first = new FindingsStore(db);
    first.record([finding({ time: Date.now() })]);
    db.close();
    db = openDatabase(file);
    const second = new FindingsStore(db);
    second.record([finding({ time: Date.now() })]);
    const [newer, older] = second.query();
    expect(newer?.matchHash).toBe(older?.matchHash);
  });

  test('a finding id recorded twice is kept once', () => {
    const store = new FindingsStore(db, { now: () => 1_700_000_000_000 });
    const row = finding();
    expect(store.record([row, row])).toBe(1);
    expect(store.record([row])).toBe(0);
    expect(store.counts().total).toBe(1);
  });

  test('query filters by since, rule and upstream, newest first, with a limit', () => {
    const store = new FindingsStore(db, { now: () => 1_700_000_000_000 });
    const rows = [
      finding({ time: 1_700_000_000_001, rule: 'a' }),
      finding({ time: 1_700_000_000_002, rule: 'b', upstream: 'mem' }),
      finding({ time: 1_700_000_000_003, rule: 'a', upstream: 'mem' }),
    ];
    store.record(rows);
    expect(store.query().map((r) => r.id)).toEqual([rows[2]?.id, rows[1]?.id, rows[0]?.id]);
    expect(store.query({ rule: 'a' }).map((r) => r.id)).toEqual([rows[2]?.id, rows[0]?.id]);
    expect(store.query({ upstream: 'mem', rule: 'a' }).map((r) => r.id)).toEqual([rows[2]?.id]);
    expect(store.query({ since: 1_700_000_000_002 }).map((r) => r.id)).toEqual([rows[2]?.id, rows[1]?.id]);
    expect(store.query({ limit: 1 }).map((r) => r.id)).toEqual([rows[2]?.id]);
  });

  test('counts group by severity, action and upstream', () => {
    const store = new FindingsStore(db, { now: () => 1_700_000_000_000 });
    store.record([
      finding({ severity: 'critical', action: 'block' }),
      finding({ severity: 'high', action: 'redact', upstream: 'mem' }),
      finding({ severity: 'high', action: 'alert', upstream: 'mem' }),
    ]);
    expect(store.counts()).toEqual({
      total: 3,
      bySeverity: { critical: 1, high: 2 },
      byAction: { block: 1, redact: 1, alert: 1 },
      byUpstream: { fs: 1, mem: 2 },
    });
  });
});

describe('retention', () => {
  test('the row bound holds after every batch, and the newest rows are the ones kept', () => {
    const store = new FindingsStore(db, { maxRows: 50, pruneEvery: 10, now: () => 1_700_000_000_000 });
    let last: FindingRecord | undefined;
    for (let batch = 0; batch < 40; batch++) {
      const rows = Array.from({ length: 1 + (batch % 7) }, () => finding());
      store.record(rows);
      last = rows[rows.length - 1];
      expect(store.counts().total).toBeLessThanOrEqual(50 + 10 - 1);
    }
    store.prune();
    expect(store.counts().total).toBe(50);
    expect(store.query({ limit: 1 })[0]?.id).toBe(last?.id);
  });

  test('rows older than maxAgeDays are deleted on open and on prune', () => {
    let now = 100 * DAY;
    const store = new FindingsStore(db, { maxAgeDays: 30, now: () => now });
    store.record([finding({ time: now - 31 * DAY }), finding({ time: now - 29 * DAY }), finding({ time: now })]);
    store.prune();
    expect(store.counts().total).toBe(2);
    now += 2 * DAY;
    const reopened = new FindingsStore(db, { maxAgeDays: 30, now: () => now });
    expect(reopened.counts().total).toBe(1);
  });
});

describe('close', () => {
  test('is idempotent and later use fails clearly', () => {
    const store = new FindingsStore(db);
    store.close();
    store.close();
    expect(() => store.record([finding()])).toThrow('FindingsStore is closed');
    expect(() => store.query()).toThrow('FindingsStore is closed');
  });
});

describe('reason and principal (issue 17)', () => {
  test('are stored and read back; the matched text never survives in a reason, configured secrets are redacted, the length is bounded', () => {
    const store = new FindingsStore(db, { redact: (text) => text.replaceAll('hunter2-config-secret', '[REDACTED]') });
    store.record([
      finding({ reason: `found ${SECRET} near hunter2-config-secret`, principal: 'token:0123456789ab' }),
      finding({ reason: 'x'.repeat(2000) }),
      finding(),
    ]);
    const [plain, long, quoted] = store.query();
    expect(quoted?.reason).toBe('found AKI…42 (23 chars) near [REDACTED]');
    expect(quoted?.principal).toBe('token:0123456789ab');
    expect(long?.reason).toHaveLength(500);
    expect(long?.reason?.endsWith('…')).toBe(true);
    expect(long && 'principal' in long).toBe(false);
    expect(plain && 'reason' in plain).toBe(false);
    const bytes = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1')).join('');
    expect(bytes).not.toContain(SECRET);
    expect(bytes).not.toContain('hunter2-config-secret');
  });
});
