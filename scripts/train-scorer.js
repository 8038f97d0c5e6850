#!/usr/bin/env node
// Trains the local scorer (issue 15) and writes models/semantic-scorer.bin, the committed model the
// gateway loads at start-up. Run `npm run build` first: features come from dist/classifier, the same
// code the scorer runs, so training and inference cannot featurise differently.
//   Data: the project's own hand-written sets in scripts/data/ (scorer-data.js), never ../shared/corpus.
//   Model: per head, logistic regression over hashed n-grams (2^BITS buckets), AdaGrad with L2, classes
//   weighted to balance; weights quantised to int8.
//   Thresholds: calibrated on benign text the model never trained on — the README files and package
//   descriptions of the installed npm packages (node_modules, read here, never committed; packages split
//   between training negatives and calibration): `flag` above every calibration score (by a margin),
//   `unsure` at their 99th percentile (the band where the LLM judge may be asked).
// Usage: node scripts/train-scorer.js [--hold-out REGEX] [out-file]   (deterministic: same data, same file)
//   --hold-out drops every training positive whose text matches REGEX (case-insensitive): the held-out
//   figure of the README trains so, without a family of attacks, and scores that family's corpus records.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel, encodeModel, featureBuckets, LocalScorer, WINDOW_CHARS, windowsOf } from '../dist/classifier/index.js';
import { loadData, prng, RESPONSE_SEGMENTS, trainingSets, withoutHeldOut } from './scorer-data.js';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const holdOutAt = args.indexOf('--hold-out');
const HOLD_OUT = holdOutAt >= 0 ? new RegExp(args.splice(holdOutAt, 2)[1], 'i') : undefined;
const OUT = args[0] ?? join(ROOT, 'models', 'semantic-scorer.bin');
const BITS = 16;
const MASK = (1 << BITS) - 1;
const EPOCHS = 25;
const RATE = 0.2;
const L2 = 2e-6;
const FLAG_MARGIN = 0.02;
/**
 * Heads that flag on their own. The `description` head only marks "unsure" text for the LLM judge: real
 * tool descriptions are varied enough that this data cannot calibrate it to flag safely, and the static
 * rules already carry injection-style descriptions. Its `flag` is written as 2 (a probability never reaches it).
 */
const FLAGGING = new Set(['response', 'capability']);
/**
 * Lowest `flag` per head. The README calibration text is technical prose; e-mails, journals and plans
 * addressed to people score higher, so the response head's flag is floored at 0.97 — a value chosen on the
 * development corpus's false-positive sets (AgentDojo environment records, hard negatives), which makes
 * the corpus false-positive figures tuning figures (README, "How the scorer is measured").
 */
const FLAG_FLOOR = { response: 0.97 };
/** Benign windows and single sentences of package text added to each head's negatives. */
const NEGATIVE_WINDOWS = 6000;
const NEGATIVE_SENTENCES = 4000;

function featurise(text) {
  const out = { buf: new Int32Array(4096) };
  const n = featureBuckets(text, { start: 0, end: text.length }, MASK, out);
  const counts = new Map();
  for (let i = 0; i < n; i++) counts.set(out.buf[i], (counts.get(out.buf[i]) ?? 0) + 1);
  const norm = n === 0 ? 1 : Math.sqrt(n);
  return { idx: Int32Array.from(counts.keys()), val: Float32Array.from(counts.values(), (c) => c / norm) };
}

function train(examples, seed) {
  const rand = prng(seed);
  const xs = examples.map((e) => ({ ...featurise(e.text), y: e.y }));
  const pos = xs.filter((x) => x.y === 1).length;
  const weightOf = [xs.length / (2 * (xs.length - pos)), xs.length / (2 * pos)];
  const w = new Float64Array(1 << BITS);
  const g2 = new Float64Array(1 << BITS).fill(1e-8);
  let bias = 0;
  let bg2 = 1e-8;
  const order = xs.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const x = xs[k];
      let z = bias;
      for (let i = 0; i < x.idx.length; i++) z += w[x.idx[i]] * x.val[i];
      const g = (1 / (1 + Math.exp(-z)) - x.y) * weightOf[x.y];
      for (let i = 0; i < x.idx.length; i++) {
        const b = x.idx[i];
        const grad = g * x.val[i] + L2 * w[b];
        g2[b] += grad * grad;
        w[b] -= (RATE * grad) / Math.sqrt(g2[b]);
      }
      bg2 += g * g;
      bias -= (RATE * g) / Math.sqrt(bg2);
    }
  }
  return { w, bias };
}

function quantise({ w, bias }) {
  let max = 1e-9;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const scale = max / 127;
  return { weights: Int8Array.from(w, (v) => Math.round(v / scale)), bias, scale };
}

/**
 * Benign text from the installed npm packages (node_modules, read here, never committed): README
 * paragraphs and package descriptions, split by package — a package's text is either training
 * negatives or calibration, never both (FNV hash of its name: 7 in 10 train).
 */
function packageTexts() {
  const out = { train: { readmes: [], descriptions: [] }, calibrate: { readmes: [], descriptions: [] } };
  const visit = (dir, depth) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name.startsWith('.')) continue;
      if (name.startsWith('@') && depth === 0) {
        visit(path, 1);
        continue;
      }
      if (!statSync(path).isDirectory()) continue;
      const part = out[packageHash(path) % 10 < 7 ? 'train' : 'calibrate'];
      try {
        const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
        if (typeof pkg.description === 'string' && pkg.description.length >= 16) part.descriptions.push(pkg.description);
      } catch {}
      for (const readme of ['README.md', 'readme.md', 'Readme.md']) {
        try {
          part.readmes.push(...readFileSync(join(path, readme), 'utf8').split(/\n\s*\n/).filter((p) => p.trim().length >= 40));
          break;
        } catch {}
      }
    }
  };
  visit(join(ROOT, 'node_modules'), 0);
  return out;
}

function packageHash(path) {
  let h = 0x811c9dc5;
  for (const c of path.slice(path.indexOf('node_modules'))) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** Up to `n` of `list`, spread evenly (deterministic). */
function spread(list, n) {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const data = withoutHeldOut(loadData(), HOLD_OUT);
const packages = packageTexts();
const sets = trainingSets(data, 15, 4, packages.train.readmes);
const windows = (texts, segments = false) => texts.flatMap((t) => windowsOf(t, WINDOW_CHARS, segments).map((w) => t.slice(w.start, w.end)));
// Single sentences too, so a short benign field (a parameter description) is not judged by long windows only.
const sentences = (texts) => texts.flatMap((t) => t.split(/(?<=[.!?])\s+|\n/)).filter((x) => x.length >= 16 && x.length <= 160);
const negatives = (texts, n) => spread(texts, n).map((text) => ({ text, y: 0 }));
const readmeWindows = windows(packages.train.readmes);
const short = [...packages.train.descriptions, ...sentences(packages.train.readmes)];
sets.response.push(...negatives(windows(packages.train.readmes, RESPONSE_SEGMENTS), NEGATIVE_WINDOWS), ...negatives(short, NEGATIVE_SENTENCES));
sets.description.push(...negatives(readmeWindows, NEGATIVE_WINDOWS), ...negatives(short, NEGATIVE_SENTENCES));
sets.capability.push(...negatives(readmeWindows, NEGATIVE_WINDOWS), ...negatives(short, NEGATIVE_SENTENCES));
const heads = [
  ['description', sets.description],
  ['response', sets.response],
  ['capability', sets.capability],
];
const weights = new Map();
const headers = [];
heads.forEach(([name, examples], i) => {
  const q = quantise(train(examples, 100 + i));
  weights.set(name, q.weights);
  headers.push({ name, bias: q.bias, scale: q.scale, thresholds: { flag: 1, unsure: 1 }, ...(name === 'response' && RESPONSE_SEGMENTS ? { segments: true } : {}) });
});
const trainedOn = `scripts/data (hand-written)${HOLD_OUT ? `, holding out positives matching /${HOLD_OUT.source}/i` : ''}; thresholds calibrated on node_modules READMEs and package descriptions`;
const header = { version: 1, bits: BITS, windowChars: WINDOW_CHARS, heads: headers, trainedOn };
const draft = new LocalScorer(decodeModel(encodeModel(header, weights)));
for (const head of headers) {
  const texts = head.name === 'response' ? packages.calibrate.readmes : [...packages.calibrate.descriptions, ...packages.calibrate.readmes];
  const scores = texts.map((t) => draft.score(t, head.name).score).sort((a, b) => a - b);
  head.thresholds = {
    flag: FLAGGING.has(head.name) ? Math.min(0.995, Math.max(0.5, FLAG_FLOOR[head.name] ?? 0, (scores.at(-1) ?? 0) + FLAG_MARGIN)) : 2,
    unsure: Math.max(0.3, quantile(scores, 0.99)),
  };
  const examples = heads.find(([n]) => n === head.name)[1];
  const train = examples.map((e) => ({ y: e.y, s: draft.score(e.text, head.name).score }));
  const tp = train.filter((e) => e.y === 1 && e.s >= head.thresholds.flag).length;
  const fp = train.filter((e) => e.y === 0 && e.s >= head.thresholds.flag).length;
  const npos = train.filter((e) => e.y === 1).length;
  console.error(
    `${head.name}: ${examples.length} examples (${npos} positive); calibration ${texts.length} texts, max ${scores.at(-1)?.toFixed(3)}; ` +
      `flag ${head.thresholds.flag.toFixed(3)} unsure ${head.thresholds.unsure.toFixed(3)}; training recall ${tp}/${npos}, training FP ${fp}/${examples.length - npos}`,
  );
}
writeFileSync(OUT, encodeModel(header, weights));
console.error(`wrote ${OUT}`);
