/**
 * The findings filters shared by `watchdog findings` and `/findings` (issue 13): severity at or above,
 * rule id / detector id / glob, upstream, since, newest-first pages with a cursor; and the read-only
 * store, which reads while the gateway writes and never changes the file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openStoreReader, openWatchdogStore, StoreUnavailable, type FindingRecord, type WatchdogStore } from '../../../src/store/index.js';

let dir: string;
let file: string;
let store: WatchdogStore;
const T0 = 1_700_000_000_000;
let n = 0;

function finding(overrides: Partial<FindingRecord>): FindingRecord {
  n += 1;
  return { id: `f_${n.toString(16).padStart(12, '0')}`, time: T0 + n, upstream: 'fs', direction: 'to_client', method: 'tools/call', rule: 'secrets/aws-access-key', severity: 'high', action: 'redact', path: 'content[0].text', match: 'AKIAXXXXXXXXXXXXXXXX', ...overrides };
}

beforeEach(() => {
  n = 0;
  dir = mkdtempSync(join(tmpdir(), 'wdg-fq-'));
  file = join(dir, 'watchdog.db');
  store = openWatchdogStore(file, { findings: { now: () => T0 } });
  store.findings.record([
    finding({ rule: 'secrets/aws-access-key', severity: 'high' }),
    finding({ rule: 'secrets/github-token', severity: 'critical', upstream: 'git' }),
    finding({ rule: 'hidden-content/html-comment', severity: 'medium', action: 'alert' }),
    finding({ rule: 'secretsx/other', severity: 'low', action: 'alert' }),
    finding({ rule: 'exfiltration/markdown-image', severity: 'high', action: 'block', upstream: 'web' }),
  ]);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rules = (list: Array<{ rule: string }>) => list.map((f) => f.rule);

describe('filters', () => {
  test('severity keeps that severity and worse', () => {
    expect(rules(store.findings.page({ severity: 'high' }).findings)).toEqual(['exfiltration/markdown-image', 'secrets/github-token', 'secrets/aws-access-key']);
    expect(store.findings.page({ severity: 'critical' }).findings.map((f) => f.severity)).toEqual(['critical']);
    expect(store.findings.page({}).findings).toHaveLength(5);
  });

  test('rule: exact id, detector id (all its rules, not a longer detector name) and glob', () => {
    expect(rules(store.findings.page({ rule: 'secrets/github-token' }).findings)).toEqual(['secrets/github-token']);
    expect(rules(store.findings.page({ rule: 'secrets' }).findings)).toEqual(['secrets/github-token', 'secrets/aws-access-key']);
    expect(rules(store.findings.page({ rule: 'secrets*' }).findings)).toEqual(['secretsx/other', 'secrets/github-token', 'secrets/aws-access-key']);
    expect(rules(store.findings.page({ rule: '*/html-*' }).findings)).toEqual(['hidden-content/html-comment']);
  });

  test('upstream and since combine with the others', () => {
    expect(rules(store.findings.page({ upstream: 'web' }).findings)).toEqual(['exfiltration/markdown-image']);
    expect(store.findings.page({ since: T0 + 4 }).findings.map((f) => f.time)).toEqual([T0 + 5, T0 + 4]);
    expect(store.findings.page({ upstream: 'fs', severity: 'medium' }).findings.map((f) => f.rule)).toEqual(['hidden-content/html-comment', 'secrets/aws-access-key']);
  });

  test('pages go newest first and the cursor continues where the last page ended', () => {
    const first = store.findings.page({ limit: 2 });
    expect(first.findings).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = store.findings.page({ limit: 2, cursor: first.nextCursor });
    const third = store.findings.page({ limit: 2, cursor: second.nextCursor });
    expect(third.nextCursor).toBeUndefined();
    const ids = [...first.findings, ...second.findings, ...third.findings].map((f) => f.id);
    expect(ids).toEqual(store.findings.page({}).findings.map((f) => f.id));
    expect(new Set(ids).size).toBe(5);
    expect(() => store.findings.page({ cursor: '1; DROP TABLE findings' })).toThrow(RangeError);
  });

  test('byRule counts per rule and severity since a time', () => {
    expect(store.findings.byRule(T0 + 4)).toEqual([
      { rule: 'exfiltration/markdown-image', severity: 'high', count: 1 },
      { rule: 'secretsx/other', severity: 'low', count: 1 },
    ]);
    expect(store.findings.byRule().reduce((sum, r) => sum + r.count, 0)).toBe(5);
  });
});

describe('read-only store', () => {
  test('reads what the gateway wrote, while it is open, and writes nothing', () => {
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const reader = openStoreReader(file);
    try {
      expect(reader.findings.page({ severity: 'critical' }).findings.map((f) => f.rule)).toEqual(['secrets/github-token']);
      expect(reader.findings.counts().total).toBe(5);
      store.findings.record([finding({ rule: 'new/rule', severity: 'info', action: 'alert' })]);
      expect(reader.findings.counts().total).toBe(6);
    } finally {
      reader.close();
    }
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('a missing file is reported, not created', () => {
    const missing = join(dir, 'nope.db');
    expect(() => openStoreReader(missing)).toThrow(StoreUnavailable);
    expect(() => statSync(missing)).toThrow();
  });
});
