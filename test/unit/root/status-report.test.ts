/**
 * `watchdog status` reads through the root with a read-only store (issue 8 item 5): it reports the
 * findings of a file without migrating it, pruning it or creating anything in it, refuses a newer
 * schema without touching it, and does not create a store that is not there.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { readStatus } from '../../../src/status-report.js';
import { MIGRATIONS, openDatabase } from '../../../src/store/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wdg-status-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ANCIENT = Date.UTC(2001, 0, 1);

/** A file at schema version 2 holding one finding far older than any retention. */
function oldStore(file: string): void {
  const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 2) });
  db.prepare(
    `INSERT INTO findings (id, time, upstream, direction, method, rule, severity, action, field_path, match_hash, excerpt)
     VALUES ('f_000000000abc', ?, 'fs', 'to_client', 'tools/call', 'secrets/aws-access-key', 'high', 'redact', 'content[0].text', 'h', 'AKIA…')`,
  ).run(ANCIENT);
  db.close();
}

function inspect(file: string) {
  const db = openDatabase(file, { readonly: true, migrations: MIGRATIONS.slice(0, 2) });
  try {
    return {
      version: db.pragma('user_version', { simple: true }),
      rows: db.prepare('SELECT count(*) FROM findings').pluck().get(),
      meta: db.prepare('SELECT count(*) FROM meta').pluck().get(),
    };
  } finally {
    db.close();
  }
}

test('reports findings without migrating, pruning or salting the file', () => {
  const file = join(dir, 'watchdog.db');
  oldStore(file);
  const report = readStatus(file);
  expect(report.findings.counts?.total).toBe(1);
  expect(report.findings.recent.map((f) => [f.id, f.time])).toEqual([['f_000000000abc', ANCIENT]]);
  expect(inspect(file)).toEqual({ version: 2, rows: 1, meta: 0 });
});

test('a store of a newer schema is reported as unreadable and left as it is', () => {
  const file = join(dir, 'watchdog.db');
  const db = openDatabase(file);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  const report = readStatus(file);
  expect(report.findings.error).toMatch(/newer than this mcp-watchdog supports/);
  const check = openDatabase(file, { readonly: true, migrations: [...MIGRATIONS, 'x'] });
  expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
  check.close();
});

test('no store file: no findings, and no file is created', () => {
  const file = join(dir, 'none', 'watchdog.db');
  expect(readStatus(file)).toEqual({ processes: [], findings: { recent: [] } });
  expect(existsSync(file)).toBe(false);
});
