// Benchmark of the detection pipeline (issue 4: "scanning a 1 MiB tool result takes under 20 ms").
// Builds a deterministic 1 MiB tool result mixing prose, JSON and base64, runs it through the default
// pipeline (every built-in detector, default policy) and prints the median over the runs.
// Usage: npm run build && node scripts/bench-pipeline.js [runs=30]
import { createPipeline } from '../dist/pipeline/index.js';
import { detectors } from '../dist/detectors/index.js';

const SIZE = 1024 * 1024;
const RUNS = Math.max(20, Number(process.argv[2] ?? 30));

function prng(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

const WORDS = ('the server returned a list of files in the project folder and each entry has a name size and modification ' +
  'time see the documentation for details about pagination tokens errors and retries when the upstream is slow').split(' ');

function buildPayload() {
  const rand = prng(42);
  const parts = [];
  let size = 0;
  let i = 0;
  while (size < SIZE) {
    let chunk;
    if (i % 3 === 0) {
      chunk = Array.from({ length: 120 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ') + '.\n\n';
    } else if (i % 3 === 1) {
      chunk = JSON.stringify({ id: i, path: `/srv/data/file-${i}.json`, tags: ['a', 'b'], ok: rand() > 0.5, note: 'value "quoted" \\n' }) + '\n';
    } else {
      const bytes = Buffer.alloc(768);
      for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(rand() * 256);
      chunk = `data: ${bytes.toString('base64')}\n`;
    }
    parts.push(chunk);
    size += chunk.length;
    i++;
  }
  return parts.join('').slice(0, SIZE);
}

const text = buildPayload();
const pipeline = createPipeline({ detectors });
const envelope = { method: 'tools/call', direction: 'to_client', upstream: 'bench', payload: { content: [{ type: 'text', text }] } };

for (let w = 0; w < 3; w++) await pipeline.inspect(envelope);
const times = [];
let verdict;
for (let r = 0; r < RUNS; r++) {
  const t0 = process.hrtime.bigint();
  verdict = await pipeline.inspect(envelope);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`pipeline: ${(text.length / 1024).toFixed(0)} KiB tool result, ${RUNS} runs, median ${median.toFixed(2)} ms ` +
  `(min ${times[0].toFixed(2)}, max ${times[times.length - 1].toFixed(2)}), verdict ${verdict.kind}, ${verdict.findings.length} findings`);
