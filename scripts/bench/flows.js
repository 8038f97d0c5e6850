// Scenario: the flow store (issue 14, item 4). The SQLite flow store (`SqliteFlowStore`, the gateway's
// store file) holding 1 million fingerprints (16 hex digits; its bound raised from the default 200 000
// for the measurement; filled by one SQL statement, since only the state matters and a million
// `remember` calls would take minutes here), then, interleaved: `remember` of a result's 32
// fingerprints and `lookup` of 32 fingerprints (half stored, half not). Rows: calls/s from the median
// and p50/p99 per call. Target: lookup p99 ≤ 0.2 ms at 1M.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, SqliteFlowStore } from '../../dist/store/index.js';
import { interleave, percentile, round, timed } from './lib/stats.js';

const TARGET = 1_000_000;
const PER_CALL = 32;
/** 16 hex digits, unique per n: a scrambled half and n itself (the SQL fill below computes the same). */
const fingerprint = (n) => `${((n * 2654435761) % 4294967296).toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`;
const FILL_SQL = `WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < @count - 1)
  INSERT INTO flows (fingerprint, upstream, method, tool, session, time)
  SELECT printf('%08x%08x', (x * 2654435761) % 4294967296, x), 'bench', 'tools/call', 'read', 's-' || (x % 100), @time FROM n`;

export async function run({ quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'watchdog-bench-flows-'));
  const db = openDatabase(join(dir, 'watchdog.db'));
  try {
    const store = new SqliteFlowStore(db, { maxEntries: TARGET + 100_000, ttlMs: 24 * 3_600_000 });
    const origin = { upstream: 'bench', method: 'tools/call', tool: 'read', session: 's-1' };
    const now = Date.now();
    const filled = quick ? 100_000 : TARGET;
    db.transaction(() => db.prepare(FILL_SQL).run({ count: filled, time: now }))();
    if (fingerprint(filled - 1) !== db.prepare('SELECT fingerprint FROM flows ORDER BY rowid DESC LIMIT 1').pluck().get()) throw new Error('flows: the SQL fill and fingerprint() disagree');
    let next = filled;
    let probe = 0;
    const steps = ['remember', 'lookup'];
    const samples = await interleave(steps, { rounds: quick ? 5 : 40, minRounds: 5, budgetMs: quick ? 3_000 : 10_000 }, async (kind) => {
      const out = [];
      for (let i = 0; i < 50; i++) {
        if (kind === 'remember') {
          const fps = Array.from({ length: PER_CALL }, (_, k) => fingerprint(next + k));
          next += PER_CALL;
          out.push(await timed(() => store.remember(origin, fps, now)));
        } else {
          const fps = Array.from({ length: PER_CALL }, (_, k) => fingerprint(k % 2 === 0 ? (probe * 7919 + k) % filled : filled + 10_000_000 + probe * PER_CALL + k));
          probe++;
          out.push(await timed(() => store.lookup(fps)));
        }
      }
      return out;
    });
    const size = `${filled / 1e6}M stored`;
    return steps.map((kind) => {
      const list = samples.get(kind);
      const p50 = percentile(list, 50);
      return {
        scenario: 'flows',
        name: `${kind} ${PER_CALL} fingerprints, ${size}`,
        unit: 'calls/s',
        value: round(1000 / p50, 0),
        p50: round(p50, 3),
        p99: round(percentile(list, 99), 3),
        baseline: kind === 'lookup' ? 'target p99 0.2 ms' : null,
        ratio: kind === 'lookup' ? round(percentile(list, 99) / 0.2, 2) : null,
        samples: list.length,
      };
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
