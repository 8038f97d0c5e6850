// Scenario: memory (issue 14, item 5). The gateway (`watchdog run`) with 10 stdio fixture upstreams: its
// own process's RSS once every upstream is listed and it has idled (upstream processes excluded, they
// are the servers' cost), then with 100 idle 2025-11-25 sessions open (each initialized and listed once),
// and the difference per session. Targets: ≤ 120 MB idle, ≤ 200 KB per idle session.
import { connectHttp } from './lib/clients.js';
import { rssOf, startGateway, stop } from './lib/processes.js';
import { round } from './lib/stats.js';

const UPSTREAMS = 10;
const SESSIONS = 100;
const MB = 1024 * 1024;
const settle = (ms) => new Promise((r) => setTimeout(r, ms));

/** RSS after a settle, the median of five readings 200 ms apart (GC and lazy pages move it). */
async function steadyRss(pid) {
  await settle(1500);
  const readings = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssOf(pid));
    await settle(200);
  }
  return readings.sort((a, b) => a - b)[2];
}

export async function run() {
  const gateway = await startGateway({ upstreams: UPSTREAMS });
  const clients = [];
  try {
    const first = await connectHttp(gateway.url, 'legacy');
    clients.push(first);
    while ((await first.listTools()).tools.length < UPSTREAMS) await settle(20);
    const idle = await steadyRss(gateway.child.pid);
    for (let i = 1; i < SESSIONS; i++) {
      const client = await connectHttp(gateway.url, 'legacy');
      await client.listTools();
      clients.push(client);
    }
    const busy = await steadyRss(gateway.child.pid);
    const perSession = (busy - idle) / (SESSIONS - 1);
    return [
      { scenario: 'memory', name: `gateway RSS idle, ${UPSTREAMS} stdio upstreams`, unit: 'MB', value: round(idle / MB, 1), p50: null, p99: null, baseline: 'target 120 MB', ratio: round(idle / MB / 120, 2) },
      { scenario: 'memory', name: `gateway RSS with ${SESSIONS} idle sessions`, unit: 'MB', value: round(busy / MB, 1), p50: null, p99: null, baseline: null, ratio: null },
      { scenario: 'memory', name: 'per additional idle session', unit: 'KB', value: round(perSession / 1024, 0), p50: null, p99: null, baseline: 'target 200 KB', ratio: round(perSession / 1024 / 200, 2) },
    ];
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await stop(gateway.child);
  }
}
