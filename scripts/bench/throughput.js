// Scenario: throughput (issue 14, item 2). 32 concurrent sessions (one SDK client each) call the 1 KiB
// blob back to back for a fixed window; calls/s and the latency p50/p99 over the window. Contenders take
// turns, window by window (interleaved), against the same fixture as the latency scenario. The ratio is
// calls/s to direct over the same era (target ≥ 0.7); mcp-proxy's row is there for comparison.
import { callBlob, connectHttp } from './lib/clients.js';
import { startGateway, startHttpFixture, startMcpProxy, stop } from './lib/processes.js';
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

export async function run({ quick }) {
  const windowMs = quick ? 1500 : 4000;
  const fixture = await startHttpFixture();
  const gateway = await startGateway();
  const proxy = await startMcpProxy();
  const contenders = [];
  try {
    const open = async (url, era) => Promise.all(Array.from({ length: SESSIONS }, () => connectHttp(url, era)));
    contenders.push(
      { name: 'direct-http-legacy', clients: await open(fixture.url, 'legacy'), tool: 'blob' },
      { name: 'gateway-http-legacy', clients: await open(gateway.url, 'legacy'), tool: 'bench__blob', baseline: 'direct-http-legacy' },
      { name: 'mcp-proxy-legacy', clients: await open(proxy.url, 'legacy'), tool: 'blob', baseline: 'direct-http-legacy' },
    );
    for (const c of contenders) await window(c, 300);
    const totals = new Map(contenders.map((c) => [c.name, { calls: 0, seconds: 0, latencies: [] }]));
    await interleave(contenders, { rounds: quick ? 1 : 2, minRounds: 1 }, async (c) => {
      const w = await window(c, windowMs);
      const t = totals.get(c.name);
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
      samples: totals.get(c.name).calls,
    }));
  } finally {
    await Promise.allSettled(contenders.flatMap((c) => c.clients.map((client) => client.close())));
    await Promise.allSettled([stop(fixture.child), stop(gateway.child), stop(proxy.child)]);
  }
}
