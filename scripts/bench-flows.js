// Benchmark of flow tracking (issue 9, "Fast"): checking a 4 KB tools/call argument against 1 million
// stored fingerprints (target p99 ≤ 0.2 ms) and observing a 64 KB result (target ≤ 1 ms), on a real
// SQLite store file. Prints p50/p99 of: the check (fingerprint + lookup + judge), the fingerprinting of
// the 64 KB result alone, and the whole observe (fingerprinting and the store write).
// Usage: node scripts/bench-flows.js [runs=200] (after npm run build; `npm run bench` runs both benches)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, SqliteFlowStore } from '../dist/store/index.js';
import { createFlowsDetector } from '../dist/detectors/flows.js';
import { fingerprintKey, fingerprintText } from '../dist/detectors/flows/fingerprint.js';
import { FlowsSchema } from '../dist/config/index.js';
import { staticCatalogView, systemClock } from '../dist/core/index.js';
import { extractFields } from '../dist/pipeline/index.js';

const RUNS = Math.max(50, Number(/^(?:runs=)?(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 200));
const STORED = 1_000_000;

function prng(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}
const rand = prng(9);
const WORDS = ('account renewal forecast the customer said that our team will ship a revised contract before the end of ' +
  'quarter and the pricing includes support hours travel costs onboarding sessions for new staff in three regions').split(' ');
const prose = (bytes) => {
  const out = [];
  let n = 0;
  while (n < bytes) {
    const w = WORDS[Math.floor(rand() * WORDS.length)];
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ').slice(0, bytes);
};
const hex = () => Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');

const dir = mkdtempSync(join(tmpdir(), 'wdg-bench-flows-'));
const db = openDatabase(join(dir, 'watchdog.db'));
const store = new SqliteFlowStore(db, { maxEntries: STORED + 100_000, pruneEvery: 10_000_000 });
const t0 = Date.now();
const now = Date.now();
for (let b = 0; b < STORED / 10_000; b++) {
  store.remember({ upstream: `u${b % 5}`, method: 'tools/call', tool: 'read', principal: 'user:bench', labels: ['private'] }, Array.from({ length: 10_000 }, () => `p${hex()}${hex()}`), now);
}
console.log(`flows: stored ${store.size()} fingerprints in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const detector = createFlowsDetector(
  { flows: FlowsSchema.parse({}), upstreams: new Map([['crm', { labels: ['private'], toolLabels: {} }]]) },
  { flows: store, catalog: staticCatalogView(), clock: systemClock },
);
const key = fingerprintKey(store.salt);
const base = { method: 'tools/call', upstream: 'crm', tool: 'read', principal: 'user:bench', session: 's' };
const result = { ...base, direction: 'to_client', payload: { content: [{ type: 'text', text: prose(64 * 1024) }] } };
const resultFields = extractFields(result);
// The argument shares a paragraph with the result, so the check finds and judges real hits.
const argument = `${prose(3000)} ${result.payload.content[0].text.slice(1000, 2000)}`;
const call = { ...base, upstream: 'chat', tool: 'post', direction: 'to_upstream', payload: { name: 'post', arguments: { text: argument.slice(0, 4096) } } };
const callFields = extractFields(call);

function measure(fn) {
  for (let i = 0; i < 20; i++) fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const s = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS / 2)], p99: times[Math.min(RUNS - 1, Math.floor(RUNS * 0.99))] };
}
const fmt = (name, m, target) => console.log(`flows: ${name.padEnd(40)} p50 ${m.p50.toFixed(3)} ms, p99 ${m.p99.toFixed(3)} ms (target ${target})`);

detector.observe({ envelope: result, fields: resultFields }, { kind: 'pass', findings: [] });
let found = 0;
fmt('check 4 KB argument, 1M stored', measure(() => (found = detector.inspect({ envelope: call, fields: callFields }).length)), 'p99 ≤ 0.2 ms');
fmt('fingerprint 64 KB result', measure(() => resultFields.forEach((f) => fingerprintText(f.text, key))), '—');
fmt('observe 64 KB result (with store write)', measure(() => detector.observe({ envelope: result, fields: resultFields }, { kind: 'pass', findings: [] })), '≤ 1 ms');
console.log(`flows: the check reported ${found} finding(s); ${RUNS} runs each`);
db.close();
rmSync(dir, { recursive: true, force: true });
