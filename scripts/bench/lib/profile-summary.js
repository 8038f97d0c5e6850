// Aggregates a V8 .cpuprofile (node --cpu-prof) into the figures the Performance notes quote: self time
// by package (node_modules/<pkg>) or source folder (dist/<layer>), the top functions by self time, and
// the inclusive time of named stages (a function and everything it calls) and of our own functions, each also per call.
const STAGES = [
  ['pipeline (detectors)', /\/dist\/pipeline\/|\/dist\/detectors\//],
  ['event store (in memory)', /\/dist\/store\/event-store\.js/],
  ['SQLite (better-sqlite3)', /node_modules\/better-sqlite3\//],
  ['fastify', /node_modules\/fastify\//],
  ['zod', /node_modules\/zod\//],
  ['SDK server', /node_modules\/@modelcontextprotocol\/server\//],
  ['SDK client (upstream)', /node_modules\/@modelcontextprotocol\/client\//],
  ['hono node adapter', /node_modules\/@hono\//],
  ['pino', /node_modules\/pino/],
];

function groupOf(url) {
  if (!url) return '(native/vm)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/([^/]+)/.exec(url);
  if (dist) return `ours: ${dist[1].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^.*\//, '');
}

/** `skipMs`: samples in the first skipMs of the profile (start-up, warm-up) are left out. */
export function summarise(profile, calls, skipMs = 0) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const dt = profile.timeDeltas;
  let clock = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    clock += (dt[i] ?? 0) / 1000;
    if (clock >= skipMs) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0) / 1000);
  }
  let total = 0;
  let idle = 0;
  const groups = new Map();
  const fns = new Map();
  const stages = new Map(STAGES.map(([name]) => [name, 0]));
  const ours = new Map();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)' && !url) { if (functionName === '(idle)') idle += ms; else total += ms; continue; }
    total += ms;
    const group = groupOf(url);
    groups.set(group, (groups.get(group) ?? 0) + ms);
    const key = `${functionName || '(anonymous)'} ${group}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    // Inclusive stage time: charge the sample once to each stage found on its stack.
    // Inclusive time of our own functions (dist/<folder>/<file> function), once per stack as well.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur).callFrame;
      const u = frame.url;
      for (const [name, re] of STAGES) if (!seen.has(name) && re.test(u)) { seen.add(name); stages.set(name, stages.get(name) + ms); }
      const file = /\/dist\/(.+)\.js$/.exec(u)?.[1];
      const fn = file && `${file} ${frame.functionName || '(anonymous)'}:${frame.lineNumber + 1}`;
      if (fn && !seen.has(fn)) { seen.add(fn); ours.set(fn, (ours.get(fn) ?? 0) + ms); }
    }
  }
  const per = (ms) => `${ms.toFixed(0)} ms (${((ms / total) * 100).toFixed(1)}%, ${(ms / calls).toFixed(3)} ms/call)`;
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines = [`busy ${total.toFixed(0)} ms (${(total / calls).toFixed(3)} ms/call), idle ${idle.toFixed(0)} ms`, '', 'self time by package / folder:'];
  for (const [g, ms] of top(groups, 18)) lines.push(`  ${g.padEnd(34)} ${per(ms)}`);
  lines.push('', 'top functions (self):');
  for (const [f, ms] of top(fns, 25)) lines.push(`  ${f.slice(0, 90).padEnd(90)} ${per(ms)}`);
  lines.push('', 'inclusive time of stages (everything they call):');
  for (const [name, ms] of stages) lines.push(`  ${name.padEnd(24)} ${per(ms)}`);
  lines.push('', 'inclusive time of our functions (dist/, top 30):');
  for (const [f, ms] of top(ours, 30)) lines.push(`  ${f.slice(0, 70).padEnd(70)} ${per(ms)}`);
  return lines.join('\n');
}
