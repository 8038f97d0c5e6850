// What the semantic layer (issue 15) adds to inspection: one 1 KB tool result and one 1 MiB result (the
// project README repeated) through three wirings of the gateway's inspection in monitor mode — static
// detectors only, plus the local scorer (the default), plus an enabled LLM judge that the text does not
// trigger (pointed at a closed local port: a triggered call would fail fast, never leave the machine).
// Interleaved rounds, medians; the machine is shared, so compare the rows of one run, not runs.
// Usage: npm run build && node scripts/bench-semantic.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigSchema, DetectionSchema } from '../dist/config/index.js';
import { createInspection, memoryPorts } from '../dist/inspection.js';
import { semanticPorts } from '../dist/semantic-ports.js';

const policy = ConfigSchema.parse({ policy: { mode: 'monitor' } }).policy;
const scorerOnly = DetectionSchema.parse({});
const judgeOn = DetectionSchema.parse({ semantic: { enabled: true, apiKey: 'not-a-key', baseURL: 'http://127.0.0.1:9' } });
const pipelines = [
  ['static detectors only', createInspection({ policy, detection: DetectionSchema.parse({ semantic: { scorer: { enabled: false } } }) }, memoryPorts()).pipeline],
  ['+ local scorer (default)', createInspection({ policy, detection: scorerOnly }, memoryPorts(semanticPorts(scorerOnly))).pipeline],
  ['+ scorer + judge, not triggered', createInspection({ policy, detection: judgeOn }, memoryPorts(semanticPorts(judgeOn))).pipeline],
];
const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const row = 'Query returned 12 rows in 35 ms. The first row is id 1834, status open, title Login button misaligned on mobile. ';
const payloads = [
  ['1 KB result', row.repeat(9), 400],
  ['1 MiB result', readme.repeat(Math.ceil((1 << 20) / readme.length)).slice(0, 1 << 20), 11],
];
const envelope = (text) => ({ upstream: 'u', direction: 'to_client', method: 'tools/call', tool: 't', payload: { content: [{ type: 'text', text }] } });
for (const [name, text, rounds] of payloads) {
  const times = pipelines.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < pipelines.length; k++) {
      const started = performance.now();
      await pipelines[k][1].inspect(envelope(text));
      times[k].push(performance.now() - started);
    }
  }
  pipelines.forEach(([label], k) => {
    const sorted = times[k].sort((a, b) => a - b);
    console.log(`${name.padEnd(14)} ${label.padEnd(34)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} ms`);
  });
}
