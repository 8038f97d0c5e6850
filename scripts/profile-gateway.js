#!/usr/bin/env node
// Profiles the gateway's hot path under steady load (issue 14): starts the built gateway (`watchdog run`,
// one stdio fixture upstream, every detector on) under `node --cpu-prof`, drives it with sequential
// tools/call of 1 KiB from a 2025-11-25 session and a 2026-07-28 client (or one of them: era=) for the given seconds, stops it
// (the profile is written on exit) and prints, for the samples taken under load only, where the gateway's CPU time went: self time by package
// or source folder, the top functions by self time, and the inclusive time of a few named stages.
// Usage: node scripts/profile-gateway.js [seconds=20] [bytes=1024] [dist=DIR] [era=both|legacy|modern]
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callBlob, connectHttp } from './bench/lib/clients.js';
import { startGateway, stop } from './bench/lib/processes.js';
import { summarise } from './bench/lib/profile-summary.js';

const arg = (name, fallback) => process.argv.slice(2).find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
const seconds = Number(arg('seconds', 20));
const bytes = Number(arg('bytes', 1024));
const profDir = mkdtempSync(join(tmpdir(), 'watchdog-prof-'));
const spawned = performance.now();
const gateway = await startGateway({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`], cli: arg('dist') && join(arg('dist'), 'cli/main.js') });
const era = arg('era', 'both');
const clients = [];
if (era !== 'modern') clients.push(await connectHttp(gateway.url, 'legacy'));
if (era !== 'legacy') clients.push(await connectHttp(gateway.url, 'modern'));
for (let i = 0; i < 20; i++) for (const client of clients) await callBlob(client, 'bench__blob', bytes);
// Samples before this point (start-up, catalog screening, warm-up) are left out of the summary.
const skipMs = performance.now() - spawned;
let calls = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  for (const client of clients) await callBlob(client, 'bench__blob', bytes);
  calls += clients.length;
}
await Promise.allSettled(clients.map((client) => client.close()));
await stop(gateway.child);
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${profDir}`);
console.log(`${calls} calls of ${bytes} bytes in ${seconds} s; profile ${join(profDir, file)}; the first ${skipMs.toFixed(0)} ms left out`);
console.log(summarise(JSON.parse(readFileSync(join(profDir, file), 'utf8')), calls, skipMs));
