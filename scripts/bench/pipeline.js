// Scenario: the detection pipeline (issues 4, 12 and 14 item 3). Each 1 MiB payload of lib/payloads.js
// goes through the pipeline with every built-in detector, and through JSON.parse + JSON.stringify of the
// same payload (the floor: the gateway parses and serialises every message anyway), in interleaved
// rounds. Rows: MB/s from the median, p50/p99 in ms, the ratio to the floor's median (target ≤ 5), and
// the CPU median (several engineers share the machine: waiting for a core inflates wall time, not CPU).
// The policy is monitor mode, so every detector runs to the end (a block would stop the run early and
// flatter the figure); the default-policy verdict is recorded for reference.
import { createPipeline } from '../../dist/pipeline/index.js';
import { detectors } from '../../dist/detectors/index.js';
import { PolicySchema } from '../../dist/config/schema.js';
import { payloads } from './lib/payloads.js';
import { interleave, percentile, round } from './lib/stats.js';

function measure(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const out = fn();
  return Promise.resolve(out).then((value) => {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    return { ms, cpuMs: (c.user + c.system) / 1000, value };
  });
}

export async function run({ quick }) {
  const monitor = createPipeline({ policy: PolicySchema.parse({ mode: 'monitor' }), detectors });
  const enforce = createPipeline({ detectors });
  const cases = payloads().map(([name, result]) => ({
    name,
    text: JSON.stringify(result),
    envelope: { method: 'tools/call', direction: 'to_client', upstream: 'bench', payload: result },
  }));
  for (let w = 0; w < 2; w++) for (const c of cases) await monitor.inspect(c.envelope);
  const steps = cases.flatMap((c) => [{ c, kind: 'pipeline' }, { c, kind: 'floor' }]);
  const cpu = new Map(steps.map((s) => [s, []]));
  const findings = new Map();
  const samples = await interleave(steps, { rounds: quick ? 5 : 25, budgetMs: quick ? 5_000 : 25_000, minRounds: 5 }, async (s) => {
    const m = s.kind === 'pipeline' ? await measure(() => monitor.inspect(s.c.envelope)) : await measure(() => JSON.stringify(JSON.parse(s.c.text)));
    if (s.kind === 'pipeline') findings.set(s.c.name, m.value.findings.length);
    cpu.get(s).push(m.cpuMs);
    return m.ms;
  });
  const rows = [];
  for (const c of cases) {
    const [pipe, floor] = steps.filter((s) => s.c === c);
    const p50 = percentile(samples.get(pipe), 50);
    const floorP50 = percentile(samples.get(floor), 50);
    const verdict = (await enforce.inspect(c.envelope)).kind;
    const mb = c.text.length / 1e6;
    rows.push({
      scenario: 'pipeline',
      name: `${c.name} ${Math.round(c.text.length / 1024)} KiB`,
      unit: 'MB/s',
      value: round(mb / (p50 / 1000), 1),
      p50: round(p50, 2),
      p99: round(percentile(samples.get(pipe), 99), 2),
      cpuMs: round(percentile(cpu.get(pipe), 50), 2),
      baseline: `JSON.parse+stringify ${round(floorP50, 2)} ms (${round(mb / (floorP50 / 1000), 0)} MB/s)`,
      ratio: round(p50 / floorP50, 2),
      findings: findings.get(c.name),
      defaultVerdict: verdict,
      samples: samples.get(pipe).length,
    });
  }
  return rows;
}
