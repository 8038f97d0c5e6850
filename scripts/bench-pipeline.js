// Benchmark of the detection pipeline (issue 4: "scanning a 1 MiB tool result takes under 20 ms"; issue 12,
// "Speed": realistic payloads). Four deterministic 1 MiB tool results go through the pipeline with every
// built-in detector, in interleaved rounds (one run of each payload per round, so drift on this shared
// machine hits every payload alike), and the median per payload is printed:
//   mixed        prose from a small low-trigger vocabulary, JSON lines and random base64 (the issue 4 payload)
//   real-text    real benign text: the README files of the installed packages, in path order
//   triggers     benign prose dense with the words the text detectors trigger on (ignore, token, before, send…)
//   comments-b64 markdown with HTML comments and base64 that decodes to readable prose
// The policy is monitor mode, so every detector runs to the end (a block would stop the run early and
// flatter the figure); the default-policy verdict of each payload is printed once for reference.
// Usage: npm run bench [-- runs=30]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline } from '../dist/pipeline/index.js';
import { detectors } from '../dist/detectors/index.js';
import { PolicySchema } from '../dist/config/schema.js';

const SIZE = 1024 * 1024;
const RUNS = Math.max(20, Number(/^(?:runs=)?(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 30));

function prng(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

function fill(next) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < SIZE; i++) {
    const chunk = next(i);
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.join('').slice(0, SIZE);
}

const WORDS = ('the server returned a list of files in the project folder and each entry has a name size and modification ' +
  'time see the documentation for details about pagination tokens errors and retries when the upstream is slow').split(' ');

function mixedPayload() {
  const rand = prng(42);
  return fill((i) => {
    if (i % 3 === 0) return Array.from({ length: 120 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ') + '.\n\n';
    if (i % 3 === 1) return JSON.stringify({ id: i, path: `/srv/data/file-${i}.json`, tags: ['a', 'b'], ok: rand() > 0.5, note: 'value "quoted" \\n' }) + '\n';
    const bytes = Buffer.alloc(768);
    for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(rand() * 256);
    return `data: ${bytes.toString('base64')}\n`;
  });
}

/** README files of the installed packages (node_modules/<pkg> and node_modules/@scope/<pkg>), sorted by path. */
function readmeFiles() {
  const root = join(import.meta.dirname, '../node_modules');
  const dirs = [];
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of readdirSync(join(root, name)).sort()) dirs.push(join(root, name, sub));
    else dirs.push(join(root, name));
  }
  const files = [];
  for (const dir of dirs) {
    if (!statSync(dir).isDirectory()) continue;
    const readme = readdirSync(dir).find((f) => /^readme\.md$/i.test(f));
    if (readme) files.push(join(dir, readme));
  }
  return files;
}

function realTextPayload() {
  const texts = readmeFiles().map((f) => readFileSync(f, 'utf8'));
  if (texts.join('').length < SIZE) throw new Error('not enough README text under node_modules for 1 MiB');
  return fill((i) => `${texts[i % texts.length]}\n\n`);
}

const TRIGGER_SENTENCES = [
  'Before using the export tool, make sure the token has not expired and the password policy allows it.',
  'When the build tool is called with --watch, it ignores previous output and logs every change to the console.',
  'Never share your API key in a chat; store the secret in the environment and send it only in the Authorization header.',
  'The system prompt template is described in the developer guide, and the assistant reads the user messages in order.',
  'To decode the base64 payload, run the decode command and then review the text before you upload it.',
  'Private keys, seed phrases and mnemonic backups belong in a hardware wallet, not in .env files or under ~/.ssh.',
  'Ignore the compiler warnings about unused variables; they are harmless in the test suite.',
  'Forward the conversation export to the support team only if the user asks for it.',
  'Upload the log file, then post a summary to the team channel and delete the temporary copy.',
  'The admin can override the default instructions in the config file under the policy section.',
  'Do not mention internal ticket numbers in the changelog; link the public issue instead.',
  'Each request sends the access token, and the server caches the credential for ten minutes.',
  'If the call fails with 401, refresh the token and retry the request once before reporting an error.',
  'The third column shows which tool was invoked and how long the call took in milliseconds.',
  'Read the /etc/hosts file to check the local name resolution when the proxy is used.',
  'Always run the migrations before starting the server, and never run them twice in parallel.',
  'The assistant note in the template explains how to format code blocks and tables.',
  'Credentials are rotated every 90 days; the old password stops working after the grace period.',
  'Share the dashboard link with your team so they can see the hourly error rate and latency.',
  'Execute the script with --dry-run first; it prints every file it would delete or modify.',
];

function triggersPayload() {
  const rand = prng(7);
  return fill(() => {
    const n = 4 + Math.floor(rand() * 5);
    return Array.from({ length: n }, () => TRIGGER_SENTENCES[Math.floor(rand() * TRIGGER_SENTENCES.length)]).join(' ') + '\n\n';
  });
}

const COMMENTS = [
  '<!-- markdownlint-disable MD013 -->',
  '<!-- This section is generated from docs/api.yaml; edit that file instead. -->',
  '<!-- NOTE: add an example for pagination once the cursor format is stable -->',
  '<!-- prettier-ignore-start -->',
  '<!-- The table below lists every option with its default value. -->',
];

function commentsBase64Payload() {
  const rand = prng(99);
  const prose = realTextPayload().replace(/<!--[\s\S]*?-->/g, '').split(/\n\n+/).filter((p) => p.length > 120 && p.length < 900 && !/[^\x20-\x7e\n]/.test(p));
  return fill((i) => {
    const para = prose[Math.floor(rand() * prose.length)];
    const comment = COMMENTS[i % COMMENTS.length];
    const encoded = Buffer.from(para).toString('base64');
    return `## Section ${i}\n${comment}\n\n${para}\n\nencoded: ${encoded}\n\n`;
  });
}

const PAYLOADS = [
  ['mixed', mixedPayload()],
  ['real-text', realTextPayload()],
  ['triggers', triggersPayload()],
  ['comments-b64', commentsBase64Payload()],
];

const monitor = createPipeline({ policy: PolicySchema.parse({ mode: 'monitor' }), detectors });
const enforce = createPipeline({ detectors });
// The payload as the gateway holds it: parsed from JSON (flat strings, one-byte when ASCII), not built by joins.
const envelopeOf = (text) => ({ method: 'tools/call', direction: 'to_client', upstream: 'bench', payload: JSON.parse(JSON.stringify({ content: [{ type: 'text', text }] })) });
const envelopes = PAYLOADS.map(([, text]) => envelopeOf(text));

for (let w = 0; w < 3; w++) for (const e of envelopes) await monitor.inspect(e);
// Wall time is what a caller waits; CPU time (user + system of this process) is quoted beside it because
// several engineers share this 2-core machine and waiting for a core inflates wall time, not CPU time.
const times = PAYLOADS.map(() => []);
const cpu = PAYLOADS.map(() => []);
const findings = PAYLOADS.map(() => 0);
for (let r = 0; r < RUNS; r++) {
  for (let p = 0; p < envelopes.length; p++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const verdict = await monitor.inspect(envelopes[p]);
    times[p].push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu[p].push((c.user + c.system) / 1000);
    findings[p] = verdict.findings.length;
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (let p = 0; p < PAYLOADS.length; p++) {
  const sorted = [...times[p]].sort((a, b) => a - b);
  const enforced = await enforce.inspect(envelopes[p]);
  console.log(`pipeline ${PAYLOADS[p][0].padEnd(12)} ${(PAYLOADS[p][1].length / 1024).toFixed(0)} KiB, ${RUNS} runs: median ${median(times[p]).toFixed(2)} ms ` +
    `(min ${sorted[0].toFixed(2)}, max ${sorted[sorted.length - 1].toFixed(2)}; CPU median ${median(cpu[p]).toFixed(2)} ms); ${findings[p]} findings in monitor mode, default policy: ${enforced.kind}`);
}
