// Training sets of the local scorer (issue 15), built from the project's own hand-written data in
// scripts/data/ (see its README) — never from ../shared/corpus, which is the evaluation set: every corpus
// figure the README gives for the scorer is therefore a held-out figure. Each example is one window of
// text (at most WINDOW_CHARS; a longer text is cut into windows as the scorer cuts it) with a label.
// Augmentation is deterministic (seeded): injected tasks and malicious code are inserted into benign
// carriers (e-mails, notes, code answers, tool descriptions), so a head learns the injected part, not
// the shape of a one-line example.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { windowsOf, WINDOW_CHARS } from '../dist/classifier/index.js';
import { expansions, injectedWindows } from './scorer-injections.js';

const DATA = join(import.meta.dirname, 'data');

export function prng(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

/** One entry per line; `#` lines are comments. */
export function lines(name) {
  return readFileSync(join(DATA, name), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** Blocks separated by a `%%` line (code keeps its `#` lines). */
export function blocks(name) {
  return readFileSync(join(DATA, name), 'utf8').split(/^%%\s*$/m).map((b) => b.trim()).filter(Boolean);
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** 1–3 benign lines joined as a note or e-mail, with `inserted` at a random place among them. */
function carrier(rand, benign, inserted) {
  const parts = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, benign));
  if (inserted !== undefined) parts.splice(Math.floor(rand() * (parts.length + 1)), 0, inserted);
  const joined = parts.join(rand() < 0.5 ? ' ' : '\n');
  return joined.length <= WINDOW_CHARS ? joined : joined.slice(0, WINDOW_CHARS);
}

/** A window shorter than this says too little to be a positive (a closing code fence is not malicious). */
const MIN_POSITIVE_CHARS = 40;

/** Windows of `text`, each labelled `y` (as the scorer would cut it); tiny windows are never positives. */
function windowed(text, y) {
  return windowsOf(text)
    .map((w) => ({ text: text.slice(w.start, w.end), y }))
    .filter((e) => y === 0 || e.text.trim().length >= MIN_POSITIVE_CHARS);
}

/** The second and later sentences of an injected description: the part that goes beyond the purpose. */
function injectedClauses(descriptions) {
  return descriptions.map((d) => d.slice(d.search(/\.\s/) + 2)).filter((c) => c.length > 10);
}

export function loadData() {
  return {
    tasks: lines('injected-tasks.txt'),
    benign: lines('benign-lines.txt'),
    toolOutput: lines('benign-tool-output.txt'),
    benignCode: blocks('benign-code.txt'),
    badCode: blocks('malicious-code.txt'),
    harmful: lines('capability-harmful.txt'),
    toolsBenign: [...lines('capability-benign.txt'), ...lines('benign-descriptions.txt')],
    injectedDescriptions: lines('description-injections.txt'),
    taskTemplates: lines('task-templates.txt'),
    leadInTemplates: lines('code-lead-ins.txt'),
    snippets: blocks('malicious-snippets.txt'),
    benignSnippets: blocks('benign-snippets.txt'),
    emails: blocks('carrier-emails.txt'),
    answers: blocks('carrier-answers.txt'),
    howto: blocks('carrier-howto.txt'),
    benignRequests: lines('benign-requests.txt'),
    topics: lines('topics.txt'),
    benignLeadInTemplates: lines('benign-lead-ins.txt'),
  };
}

/** Frames that ask the assistant about a topic (`@`), and frames that only state something about it. */
const TOPIC_TASKS = [
  '{Describe|Explain|Summarise|Summarize|Break down|Outline} @{.| in simple terms.| for a beginner.| in a few sentences.}',
  '{What is|What are|Can you tell me about|Tell me about|What do you know about} @?',
  '{Write|Give} a {short|brief} {overview|summary|explanation} of @{.| in your answer.}',
  '{Also|Additionally|Before answering}, {explain|describe|discuss} @.',
];
const TOPIC_STATEMENTS = [
  '{The chapter on|Our newsletter this month covers|The museum has an exhibition about|She wrote her thesis on} @.',
  '@ {was covered in|came up during|is the subject of} {last week\'s lecture|the documentary we watched|the attached report}.',
];

/** Keeps each item with probability `p` (deterministic through `rand`). */
function spread(list, rand, p) {
  return list.filter(() => rand() < p);
}

/** The response head also scores each line and sentence on its own (the model file's `segments` flag). */
export const RESPONSE_SEGMENTS = true;

/**
 * `data` without the positives that `holdOut` (a RegExp) matches — for the held-out figure: train without
 * a family of attacks, then measure the corpus categories of that family (README, "How the scorer is measured").
 */
export function withoutHeldOut(data, holdOut) {
  if (!holdOut) return data;
  const keep = (x) => !holdOut.test(x);
  return { ...data, tasks: data.tasks.filter(keep), badCode: data.badCode.filter(keep), taskTemplates: data.taskTemplates.filter(keep), snippets: data.snippets.filter(keep), holdOut };
}

/** The examples of each head; `rounds` is how many augmented copies each source entry gets. */
export function trainingSets(data, seed = 15, rounds = 4, readmes = []) {
  const rand = prng(seed);
  const response = [];
  const description = [];
  const capability = [];
  for (const t of data.tasks) response.push({ text: t, y: 1 });
  for (const b of [...data.benign, ...data.toolOutput, ...data.toolsBenign, ...data.benignRequests]) response.push({ text: b, y: 0 });
  for (const c of data.badCode) response.push(...windowed(c, 1));
  for (const c of data.benignCode) response.push(...windowed(c, 0));
  // Instructions to a person (recipes, assembly, care labels) are imperative through and through: negatives.
  for (const h of data.howto) for (let r = 0; r < 3; r++) response.push(...windowsOf(h, WINDOW_CHARS, RESPONSE_SEGMENTS).map((w) => ({ text: h.slice(w.start, w.end), y: 0 })));
  for (let r = 0; r < rounds; r++) {
    for (const t of data.tasks) response.push({ text: carrier(rand, data.benign, t), y: 1 });
    for (let i = 0; i < data.tasks.length; i++) response.push({ text: carrier(rand, data.benign), y: 0 });
    // Hints servers address to the assistant are benign: as many in context as the tasks they resemble.
    for (const o of data.toolOutput) response.push({ text: carrier(rand, data.benign, o), y: 0 }, { text: carrier(rand, data.toolOutput), y: 0 });
    for (const c of data.badCode) response.push(...windowed(`${pick(rand, data.benignCode)}\n\n${c}`, 1).slice(-1));
  }
  const keep = (x) => !data.holdOut || !data.holdOut.test(x);
  const asked = data.topics.flatMap((t) => expansions(TOPIC_TASKS.map((f) => f.replace('@', t)), rand, 1));
  const told = data.topics.flatMap((t) => expansions(TOPIC_STATEMENTS.map((f) => f.replace('@', t)), rand, 1));
  for (const t of told) response.push({ text: t, y: 0 });
  const tasks = [...data.tasks, ...expansions(data.taskTemplates, rand, 12), ...spread(asked, rand, 0.5)].filter(keep);
  const leadIns = expansions(data.leadInTemplates, rand, 30);
  data = { ...data, readerLeadIns: expansions(data.benignLeadInTemplates, rand, 10) };
  for (const l of data.readerLeadIns) response.push({ text: l, y: 0 });
  response.push(...injectedWindows(rand, data, { tasks, leadIns, snippets: data.snippets, readmes, segments: RESPONSE_SEGMENTS, rounds: 2 }));
  const clauses = [...injectedClauses(data.injectedDescriptions), ...data.tasks.filter(() => rand() < 0.3)];
  for (const d of data.injectedDescriptions) description.push({ text: d, y: 1 });
  for (const d of [...data.toolsBenign, ...data.harmful, ...data.benign]) description.push({ text: d, y: 0 });
  for (let r = 0; r < rounds; r++) {
    for (const c of clauses) description.push({ text: `${pick(rand, data.toolsBenign)} ${c}`, y: 1 });
    for (const d of data.toolsBenign) description.push({ text: `${d} ${pick(rand, data.toolsBenign)}`, y: 0 });
  }
  for (const h of data.harmful) capability.push({ text: h, y: 1 }, { text: `This tool can ${h[0].toLowerCase()}${h.slice(1)}`, y: 1 });
  for (const d of [...data.toolsBenign, ...data.injectedDescriptions, ...data.benign]) capability.push({ text: d, y: 0 });
  for (const d of data.toolsBenign) capability.push({ text: `This tool can ${d[0].toLowerCase()}${d.slice(1)}`, y: 0 });
  return { response, description, capability };
}
