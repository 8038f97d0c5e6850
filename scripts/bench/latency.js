// Scenario: sequential tools/call latency (issue 14, item 1). One zero-latency fixture upstream
// (lib/fixture-server.mjs) answering 1 KiB and 64 KiB of prose, reached eight ways with the same SDK client:
//   direct-*        the client → the fixture over Streamable HTTP (both eras) or stdio, no gateway
//   gateway-http-*  the built gateway (`watchdog run`, every detector on, the defaults) over HTTP, both eras
//   gateway-stdio   the gateway as the client's stdio child (`watchdog stdio`)
//   mcp-proxy-*     mcp-proxy (the pinned devDependency) in front of the same stdio fixture, both eras
//   gateway-judge-http-modern  the gateway with the LLM judge enabled (issue 15: `detection.semantic`,
//                   pointed at a fake Messages API on loopback, lib/fake-anthropic.js) but not triggered:
//                   its ratio is to gateway-http-modern, and `judgeRequests` counts what reached the fake
//                   during the step's calls, warm-up included. The 1 KiB prose is in no scorer's unsure band:
//                   nothing is sent (0), the row is "enabled, not triggered". The 64 KiB prose scores in the
//                   `response` head's unsure band: it is judged once (1, in the warm-up) and every measured
//                   call is a verdict-cache hit (a SHA-256 of the text and one SQLite read).
// All contenders are measured in the same interleaved rounds (up to 30, within 40 s); each step is
// `CALLS` sequential calls.
// Beside wall time, `cpuMs` is the server process's CPU time per call (user + system from /proc: the
// gateway's or mcp-proxy's own process, not the fixture's; for direct, the fixture's). Wall time on this
// shared 2-core machine mostly measures waiting for a core; CPU per call does not.
// A gateway's ratio is to mcp-proxy of the same era (stdio: to direct stdio); `addedMs` is its p50 over
// the direct p50 of the same era. With `against=DIR` (npm run bench -- only=latency against=DIR), the
// gateway built in DIR (a copy of an earlier dist/) runs beside this one, its ratio taken to this one.
import { join, resolve } from 'node:path';
import { callBlob, connectHttp, connectStdio } from './lib/clients.js';
import { CLI, FIXTURE, NODE, cpuMsOf, gatewayConfig, startGateway, startHttpFixture, startMcpProxy, stop } from './lib/processes.js';
import { startFakeAnthropic } from './lib/fake-anthropic.js';
import { interleave, percentile, round, timed } from './lib/stats.js';

const SIZES = [1024, 64 * 1024];
const CALLS = 10;

export async function run({ quick, against, contenders: pick }) {
  const fixture = await startHttpFixture();
  const gateway = await startGateway();
  const proxy = await startMcpProxy();
  const judgeApi = await startFakeAnthropic();
  const withJudge = await startGateway({ extra: `detection:\n  semantic: { enabled: true, apiKey: bench-not-a-key, baseURL: "${judgeApi.url}" }` });
  // `against=DIR`: another build's dist (e.g. the previous commit's) measured in the same rounds.
  const other = against ? await startGateway({ cli: join(resolve(against), 'cli/main.js') }) : undefined;
  const clients = [];
  try {
    const contenders = [
      { name: 'direct-http-legacy', client: await connectHttp(fixture.url, 'legacy'), pid: fixture.child.pid, tool: 'blob' },
      { name: 'direct-http-modern', client: await connectHttp(fixture.url, 'modern'), pid: fixture.child.pid, tool: 'blob' },
      { name: 'direct-stdio', client: await connectStdio(NODE, [FIXTURE]), tool: 'blob' },
      { name: 'gateway-http-legacy', client: await connectHttp(gateway.url, 'legacy'), pid: gateway.child.pid, tool: 'bench__blob', baseline: 'mcp-proxy-legacy', direct: 'direct-http-legacy' },
      { name: 'gateway-http-modern', client: await connectHttp(gateway.url, 'modern'), pid: gateway.child.pid, tool: 'bench__blob', baseline: 'mcp-proxy-modern', direct: 'direct-http-modern' },
      { name: 'gateway-stdio', client: await connectStdio(NODE, [CLI, 'stdio', '--config', gatewayConfig(0), '--log-level', 'warn']), tool: 'bench__blob', baseline: 'direct-stdio', direct: 'direct-stdio' },
      { name: 'gateway-judge-http-modern', client: await connectHttp(withJudge.url, 'modern'), pid: withJudge.child.pid, tool: 'bench__blob', baseline: 'gateway-http-modern', direct: 'direct-http-modern', judge: true },
      { name: 'mcp-proxy-legacy', client: await connectHttp(proxy.url, 'legacy'), pid: proxy.child.pid, tool: 'blob', baseline: 'direct-http-legacy', direct: 'direct-http-legacy' },
      { name: 'mcp-proxy-modern', client: await connectHttp(proxy.url, 'modern'), pid: proxy.child.pid, tool: 'blob', baseline: 'direct-http-modern', direct: 'direct-http-modern' },
    ];
    if (other) {
      contenders.push(
        { name: 'against-http-legacy', client: await connectHttp(other.url, 'legacy'), pid: other.child.pid, tool: 'bench__blob', baseline: 'gateway-http-legacy', direct: 'direct-http-legacy' },
        { name: 'against-http-modern', client: await connectHttp(other.url, 'modern'), pid: other.child.pid, tool: 'bench__blob', baseline: 'gateway-http-modern', direct: 'direct-http-modern' },
      );
    }
    clients.push(...contenders.map((c) => c.client));
    for (const c of contenders) c.pid ??= c.client.pid;
    // `contenders=REGEX` measures only the matching contenders (a focused before/after run).
    const chosen = pick ? contenders.filter((c) => new RegExp(pick).test(c.name)) : contenders;
    const steps = chosen.flatMap((c) => SIZES.map((bytes) => ({ ...c, bytes })));
    // Judge requests per step, warm-up included (a text the judge was asked about once is then a cache hit).
    const judged = new Map(steps.map((s) => [s, 0]));
    const counting = async (s, calls) => {
      const before = judgeApi.requests();
      const out = await calls();
      judged.set(s, judged.get(s) + judgeApi.requests() - before);
      return out;
    };
    // Warm-up: JIT, connection pools, the fixture's text cache.
    for (const s of steps) await counting(s, async () => { for (let i = 0; i < CALLS; i++) await callBlob(s.client, s.tool, s.bytes); });
    const cpu = new Map(steps.map((s) => [s, 0]));
    const samples = await interleave(steps, { rounds: quick ? 4 : 30, budgetMs: quick ? 10_000 : 40_000 }, (s) => counting(s, async () => {
      const out = [];
      const cpu0 = cpuMsOf(s.pid);
      for (let i = 0; i < CALLS; i++) out.push(await timed(() => callBlob(s.client, s.tool, s.bytes)));
      cpu.set(s, cpu.get(s) + cpuMsOf(s.pid) - cpu0);
      return out;
    }));
    const p50 = new Map(steps.map((s) => [`${s.name}/${s.bytes}`, percentile(samples.get(s), 50)]));
    return steps.map((s) => {
      const mid = p50.get(`${s.name}/${s.bytes}`);
      const base = s.baseline ? p50.get(`${s.baseline}/${s.bytes}`) : undefined;
      const direct = s.direct ? p50.get(`${s.direct}/${s.bytes}`) : undefined;
      return {
        scenario: 'latency',
        name: `${s.name} ${s.bytes / 1024} KiB`,
        unit: 'ms',
        p50: round(mid, 3),
        p99: round(percentile(samples.get(s), 99), 3),
        baseline: s.baseline ? `${s.baseline} ${s.bytes / 1024} KiB` : null,
        ratio: base ? round(mid / base, 3) : null,
        addedMs: direct !== undefined ? round(mid - direct, 3) : null,
        cpuMs: round(cpu.get(s) / samples.get(s).length, 3),
        samples: samples.get(s).length,
        // What the session actually negotiated (a `*-modern` contender falls back to 2025-11-25 where the server offers only that).
        protocol: s.client.getNegotiatedProtocolVersion?.() ?? null,
        ...(s.judge ? { judgeRequests: judged.get(s) } : {}),
      };
    });
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled([stop(fixture.child), stop(gateway.child), stop(withJudge.child), stop(proxy.child), other && stop(other.child)]);
    await judgeApi.close();
  }
}
