// Scenario: throughput (issue 14, item 2). 32 concurrent sessions (one SDK client each) call the 1 KiB
// blob back to back for a fixed window; calls/s and the latency p50/p99 over the window. Contenders take
// turns, window by window (interleaved), against the same fixture as the latency scenario. The ratio is
// calls/s to direct over the same era (target ≥ 0.7); mcp-proxy's row is there for comparison.
// `cpuMs`: the server process's CPU time per call over its windows (/proc; the gateway's or mcp-proxy's
// own process; for direct, the fixture's). With `against=DIR` another build's gateway (a copied dist/)
// takes its turns too (`against-http-legacy`, its ratio to this build's gateway), and `contenders=REGEX`
// keeps only the matching contenders (direct always runs: it is the baseline).
import { join, resolve } from 'node:path';
import { callBlob, connectHttp } from './lib/clients.js';
import { cpuMsOf, startGateway, startHttpFixture, startMcpProxy, stop } from './lib/processes.js';
import { interleave, percentile, round, timed } from './lib/stats.js';

const SESSIONS = 32;
const BYTES = 1024;

async function window(contender, ms) {
  const latencies = [];
  const end = performance.now() + ms;
  const t0 = performance.now();
  await Promise.all(contender.clients.map(async (client) => {
    while (performance.now() < end) latencies.push(await timed(() => callBlob(client, contender.tool, BYTES)));
  }));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

export async function run({ quick, against, contenders: pick }) {
  const windowMs = quick ? 1500 : 4000;
  const chosen = (name) => name === 'direct-http-legacy' || !pick || new RegExp(pick).test(name);
  const fixture = await startHttpFixture();
  const gateway = chosen('gateway-http-legacy') ? await startGateway() : undefined;
  const proxy = chosen('mcp-proxy-legacy') ? await startMcpProxy() : undefined;
  const other = against && chosen('against-http-legacy') ? await startGateway({ cli: join(resolve(against), 'cli/main.js') }) : undefined;
  const contenders = [];
  try {
    const open = async (url, era) => Promise.all(Array.from({ length: SESSIONS }, () => connectHttp(url, era)));
    contenders.push({ name: 'direct-http-legacy', clients: await open(fixture.url, 'legacy'), tool: 'blob', pid: fixture.child.pid });
    if (gateway) contenders.push({ name: 'gateway-http-legacy', clients: await open(gateway.url, 'legacy'), tool: 'bench__blob', baseline: 'direct-http-legacy', pid: gateway.child.pid });
    if (proxy) contenders.push({ name: 'mcp-proxy-legacy', clients: await open(proxy.url, 'legacy'), tool: 'blob', baseline: 'direct-http-legacy', pid: proxy.child.pid });
    if (other) contenders.push({ name: 'against-http-legacy', clients: await open(other.url, 'legacy'), tool: 'bench__blob', baseline: gateway ? 'gateway-http-legacy' : 'direct-http-legacy', pid: other.child.pid });
    for (const c of contenders) await window(c, 300);
    const totals = new Map(contenders.map((c) => [c.name, { calls: 0, seconds: 0, latencies: [], cpuMs: 0 }]));
    await interleave(contenders, { rounds: quick ? 1 : 2, minRounds: 1 }, async (c) => {
      const cpu0 = cpuMsOf(c.pid);
      const w = await window(c, windowMs);
      const t = totals.get(c.name);
      t.cpuMs += cpuMsOf(c.pid) - cpu0;
      t.calls += w.latencies.length;
      t.seconds += w.seconds;
      t.latencies.push(...w.latencies);
      return [];
    });
    const rate = (name) => totals.get(name).calls / totals.get(name).seconds;
    return contenders.map((c) => ({
      scenario: 'throughput',
      name: `${c.name}, ${SESSIONS} sessions`,
      unit: 'calls/s',
      value: round(rate(c.name), 0),
      p50: round(percentile(totals.get(c.name).latencies, 50), 2),
      p99: round(percentile(totals.get(c.name).latencies, 99), 2),
      baseline: c.baseline ?? null,
      ratio: c.baseline ? round(rate(c.name) / rate(c.baseline), 3) : null,
      cpuMs: round(totals.get(c.name).cpuMs / totals.get(c.name).calls, 3),
      samples: totals.get(c.name).calls,
    }));
  } finally {
    await Promise.allSettled(contenders.flatMap((c) => c.clients.map((client) => client.close())));
    await Promise.allSettled([fixture, gateway, proxy, other].filter(Boolean).map((p) => stop(p.child)));
  }
}
