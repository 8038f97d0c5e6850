#!/usr/bin/env node
// System calls per tools/call (issue 14): on this shared machine a socket or file write costs far more
// than the JavaScript around it (it wakes the other side and is a chance to lose the core), and the count
// does not depend on the load, unlike wall time. Starts the built gateway (`watchdog run`, one stdio
// fixture upstream, every detector on), warms it up, then attaches `strace -c -f` while one client of
// the given era makes sequential 1 KiB calls, and prints the calls per tools/call of each system call.
// Needs strace. Usage: node scripts/count-syscalls.js [era=legacy|modern] [calls=200] [dist=DIR] [extra=YAML]
// (`extra`: top-level config lines added to the gateway's, e.g. `extra='detection: { semantic: { scorer: { enabled: false } } }'`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { callBlob, connectHttp } from './bench/lib/clients.js';
import { startGateway, stop } from './bench/lib/processes.js';

const arg = (name, fallback) => process.argv.slice(2).find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
const era = arg('era', 'legacy');
const calls = Number(arg('calls', 200));
const gateway = await startGateway({ cli: arg('dist') && join(arg('dist'), 'cli/main.js'), extra: arg('extra', '') });
const client = await connectHttp(gateway.url, era);
try {
  for (let i = 0; i < 50; i++) await callBlob(client, 'bench__blob', 1024);
  const strace = spawn('strace', ['-c', '-f', '-p', String(gateway.child.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let report = '';
  strace.stderr.setEncoding('utf8').on('data', (chunk) => (report += chunk));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (let i = 0; i < calls; i++) await callBlob(client, 'bench__blob', 1024);
  const done = new Promise((resolve) => strace.once('exit', resolve));
  strace.kill('SIGINT');
  await done;
  console.log(`${era}: ${calls} calls, system calls of the gateway process per tools/call (strace -c -f):`);
  for (const line of report.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
    if (m && Number(m[1]) / calls >= 0.05) console.log(`  ${m[2].padEnd(16)} ${(Number(m[1]) / calls).toFixed(2)}`);
  }
} finally {
  await client.close();
  await stop(gateway.child);
}
