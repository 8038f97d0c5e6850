// Deterministic 1 MiB tool results for the pipeline scenario (issue 4: "scanning a 1 MiB tool result
// takes under 20 ms"; issue 12, "Speed"; issue 14, item 3: real-shaped payloads). Each builder returns the
// tool result as the gateway holds it (parsed from JSON: flat strings, not built by joins):
//   mixed        prose from a small low-trigger vocabulary, JSON lines and random base64 (the issue 4 payload)
//   real-text    real benign text: the README files of the installed packages, in path order
//   triggers     benign prose dense with the words the text detectors trigger on (ignore, token, before, send…)
//   comments-b64 markdown with HTML comments and base64 that decodes to readable prose
//   code         real source code: the JavaScript files of installed packages, in path order
//   structured   `structuredContent`: records with UUIDs, dates, numbers, short names and base64 PNG thumbnails
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';

const SIZE = 1024 * 1024;

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
  const root = join(ROOT, 'node_modules');
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

function codePayload() {
  const files = [];
  for (const dir of ['fastify/lib', 'pino/lib', 'yaml/dist', 'zod/v4/core', 'better-sqlite3/lib']) {
    const folder = join(ROOT, 'node_modules', dir);
    for (const name of readdirSync(folder).sort()) if (name.endsWith('.js')) files.push(join(folder, name));
  }
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  return fill((i) => `// ${files[i % files.length].slice(ROOT.length)}\n${texts[i % texts.length]}\n`);
}

function uuid(rand) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** `structuredContent` of about 1 MiB (as JSON): records with UUIDs, dates, numbers, names and base64 thumbnails. */
function structuredPayload() {
  const rand = prng(2024);
  const items = [];
  let size = 0;
  for (let i = 0; size < SIZE; i++) {
    const thumb = Buffer.alloc(i % 4 === 0 ? 1536 : 0);
    for (let b = 0; b < thumb.length; b++) thumb[b] = Math.floor(rand() * 256);
    const item = {
      id: uuid(rand),
      parent: uuid(rand),
      name: `${WORDS[i % WORDS.length]}-${WORDS[(i * 7) % WORDS.length]}-${i}.png`,
      created: new Date(1_700_000_000_000 + i * 3_600_000).toISOString(),
      size: Math.floor(rand() * 1e7),
      score: Number(rand().toFixed(4)),
      tags: [WORDS[i % WORDS.length], WORDS[(i * 3) % WORDS.length]],
      ...(thumb.length > 0 ? { thumbnail: { mimeType: 'image/png', data: thumb.toString('base64') } } : {}),
    };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return { content: [{ type: 'text', text: `${items.length} records` }], structuredContent: { items } };
}

const textResult = (text) => ({ content: [{ type: 'text', text }] });

/** `[name, tool result]` pairs, each about 1 MiB as JSON; the result round-trips through JSON as on the wire. */
export function payloads() {
  const list = [
    ['mixed', textResult(mixedPayload())],
    ['real-text', textResult(realTextPayload())],
    ['triggers', textResult(triggersPayload())],
    ['comments-b64', textResult(commentsBase64Payload())],
    ['code', textResult(codePayload())],
    ['structured', structuredPayload()],
  ];
  return list.map(([name, result]) => [name, JSON.parse(JSON.stringify(result))]);
}
