// Scenario: start-up (issue 14, item 6). `watchdog run` with 10 stdio fixture upstreams, from spawn to
// (a) the `ready on` line and (b) the first tools/list that lists all 10 upstreams' tools. Runs alternate
// with mcp-proxy in front of one fixture (spawn → its endpoint answers) as a reference. Medians of the runs.
import { connectHttp } from './lib/clients.js';
import { startGateway, startMcpProxy, stop } from './lib/processes.js';
import { interleave, percentile, round } from './lib/stats.js';

const UPSTREAMS = 10;

async function gatewayRun() {
  const t0 = performance.now();
  const gateway = await startGateway({ upstreams: UPSTREAMS });
  try {
    const listening = performance.now() - t0;
    const client = await connectHttp(gateway.url, 'legacy');
    try {
      for (;;) {
        const { tools } = await client.listTools();
        if (tools.length >= UPSTREAMS) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await client.close();
    }
    return { listening, ready: performance.now() - t0 };
  } finally {
    await stop(gateway.child);
  }
}

async function proxyRun() {
  const t0 = performance.now();
  const proxy = await startMcpProxy();
  const ms = performance.now() - t0;
  await stop(proxy.child);
  return ms;
}

export async function run({ quick }) {
  const listening = [];
  const ready = [];
  const samples = await interleave(['gateway', 'mcp-proxy'], { rounds: quick ? 1 : 5, minRounds: 1, budgetMs: 25_000 }, async (who) => {
    if (who === 'mcp-proxy') return proxyRun();
    const r = await gatewayRun();
    listening.push(r.listening);
    ready.push(r.ready);
    return r.ready;
  });
  const proxy = percentile(samples.get('mcp-proxy'), 50);
  const row = (name, list, baseline) => ({
    scenario: 'startup', name, unit: 'ms', p50: round(percentile(list, 50), 0), p99: round(percentile(list, 99), 0),
    baseline: baseline ? 'mcp-proxy, 1 upstream, listening' : null, ratio: baseline ? round(percentile(list, 50) / proxy, 2) : null, samples: list.length,
  });
  return [
    row(`gateway, ${UPSTREAMS} upstreams: listening`, listening, true),
    row(`gateway, ${UPSTREAMS} upstreams: all tools listed`, ready, true),
    row('mcp-proxy, 1 upstream: listening', samples.get('mcp-proxy'), false),
  ];
}
