#!/usr/bin/env node
// `npm run bench` (issue 14): runs the scenarios of scripts/bench/ in order, prints one table, and writes
// bench/results.json (the machine, the commit, and each scenario's rows: p50, p99, the baseline and the
// ratio to it). Every comparison inside a scenario is measured interleaved (scripts/bench/lib/stats.js).
// Usage: npm run bench [-- only=latency,pipeline] [quick] [out=FILE] [against=DIST_DIR]
//   only=…  runs the named scenarios only;  quick: fewer rounds (a smoke run; do not quote its figures);
//   against=DIR  adds another build of the gateway (a copied dist/) to the latency rounds (before/after);
//   contenders=REGEX  measures only the latency contenders whose name matches.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './bench/lib/processes.js';

const SCENARIOS = ['latency', 'throughput', 'pipeline', 'flows', 'flows-redis', 'memory', 'startup'];
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const only = option('only')?.split(',') ?? SCENARIOS;
const unknown = only.filter((s) => !SCENARIOS.includes(s));
if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.join(', ')}`);
const quick = args.includes('quick');
const out = option('out') ?? join(ROOT, 'bench/results.json');

const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
const started = Date.now();
const results = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)), node: process.version, platform: `${process.platform}-${process.arch}`, loadAtStart: loadavg().map((x) => Number(x.toFixed(2))) },
  commit: git('rev-parse', 'HEAD'),
  dirty: git('status', '--porcelain').length > 0,
  date: new Date(started).toISOString(),
  quick,
  scenarios: {},
};

for (const name of SCENARIOS.filter((s) => only.includes(s))) {
  const t0 = Date.now();
  process.stderr.write(`bench: ${name}…\n`);
  const { run } = await import(`./bench/${name}.js`);
  results.scenarios[name] = { seconds: 0, rows: await run({ quick, against: option('against'), contenders: option('contenders') }) };
  results.scenarios[name].seconds = Math.round((Date.now() - t0) / 1000);
}
results.machine.loadAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
results.seconds = Math.round((Date.now() - started) / 1000);

const cell = (x) => (x === null || x === undefined ? '' : String(x));
const lines = ['| scenario | measure | value | unit | p50 ms | p99 ms | CPU ms | baseline | ratio |', '|---|---|---:|---|---:|---:|---:|---|---:|'];
for (const [name, { rows }] of Object.entries(results.scenarios)) {
  for (const r of rows) lines.push(`| ${name} | ${r.name} | ${cell(r.value ?? r.p50)} | ${r.unit} | ${cell(r.p50)} | ${cell(r.p99)} | ${cell(r.cpuMs)} | ${cell(r.baseline)} | ${cell(r.ratio)} |`);
}
console.log(lines.join('\n'));
console.log(`\n${results.seconds} s; load ${results.machine.loadAtStart.join(' ')} → ${results.machine.loadAtEnd.join(' ')}; commit ${results.commit.slice(0, 10)}${results.dirty ? ' (dirty)' : ''}`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
