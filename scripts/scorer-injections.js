// Injected examples for the `response` head of the local scorer (issue 15): tasks addressed to the
// assistant (scripts/data/task-templates.txt, injected-tasks.txt) and code lead-ins with malicious code
// (code-lead-ins.txt, malicious-snippets.txt), inserted at the start, the end or the middle of benign
// carriers (e-mails, code answers, README paragraphs). The result is cut into windows as the scorer cuts
// it (packed windows plus one window per line or sentence) and each window is labelled by where the
// injection lies: a window that holds the injected task (or enough of the code) is positive, a window of
// carrier only is negative, a fragment in between (one line of the injected code) is left out — one
// `import time` line is not malicious by itself. Deterministic (seeded).
import { windowsOf } from '../dist/classifier/index.js';

/** `{a|b|c}` picks one alternative. */
export function expand(template, rand) {
  return template.replace(/\{([^{}]*)\}/g, (_, alts) => {
    const options = alts.split('|');
    return options[Math.floor(rand() * options.length)];
  });
}

/** Up to `n` distinct expansions of each template. */
export function expansions(templates, rand, n) {
  return templates.flatMap((t) => [...new Set(Array.from({ length: n * 2 }, () => expand(t, rand)))].slice(0, n));
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** Carrier split at its line and sentence ends, where an injection may go. */
function cutPoints(text) {
  const points = [0, text.length];
  for (const m of text.matchAll(/\n|[.!?] /g)) points.push(m.index + m[0].length);
  return points;
}

/** `carrier` with `inserted` at a random cut point, glued with a newline or a space; the injected span. */
function insert(rand, carrier, inserted) {
  const points = cutPoints(carrier);
  const at = rand() < 0.35 ? 0 : rand() < 0.5 ? carrier.length : pick(rand, points);
  const before = carrier.slice(0, at);
  const after = carrier.slice(at);
  const glue = () => (rand() < 0.7 ? '\n' : ' ');
  const head = before.length === 0 || /\s$/.test(before) ? before : before + glue();
  const tail = after.length === 0 || /^\s/.test(after) ? after : glue() + after;
  return { text: head + inserted + tail, start: head.length, end: head.length + inserted.length };
}

const MIN_OVERLAP = 40;
const MIN_CODE_WINDOW = 120;

/**
 * Labels the windows of `text` (injected span `[start, end)`, of which `[leadStart, leadEnd)` is the
 * directive sentence): 1 holds the directive or enough of the injection, 0 none of it, dropped otherwise.
 */
function labelled(text, span, segments) {
  const out = [];
  for (const w of windowsOf(text, undefined, segments)) {
    const overlap = Math.max(0, Math.min(w.end, span.end) - Math.max(w.start, span.start));
    const slice = text.slice(w.start, w.end);
    if (overlap === 0) out.push({ text: slice, y: 0 });
    else if (w.start <= span.leadStart && w.end >= span.leadEnd) out.push({ text: slice, y: 1 });
    else if (w.start >= span.start && w.end <= span.end) {
      if (w.end - w.start >= MIN_CODE_WINDOW) out.push({ text: slice, y: 1 });
    } else if (overlap >= MIN_OVERLAP) out.push({ text: slice, y: 1 });
  }
  return out;
}

function fenced(rand, code) {
  const fence = pick(rand, ['```', '```python', '```', '```py', '```bash', '```js']);
  return `${fence}\n${code}\n\`\`\``;
}

/** A benign code answer: prose, a code block, sometimes more prose. */
function codeAnswer(rand, data) {
  const lead = rand() < 0.5 ? `\n${pick(rand, data.readerLeadIns)}` : '';
  const parts = [pick(rand, data.answers) + lead, fenced(rand, pick(rand, data.benignSnippets))];
  if (rand() < 0.5) parts.push(pick(rand, data.answers));
  return parts.join('\n');
}

/** A benign text carrier: an e-mail, a how-to, a README paragraph, a code answer's prose or a few benign lines. */
function textCarrier(rand, data, readmes) {
  const r = rand();
  if (r < 0.35) return pick(rand, data.emails);
  if (r < 0.45) return pick(rand, data.howto);
  if (r < 0.7 && readmes.length > 0) return pick(rand, readmes);
  if (r < 0.85) return pick(rand, data.answers);
  return Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(rand, data.benign)).join(rand() < 0.5 ? ' ' : '\n');
}

/**
 * Positive and negative windows for the response head. `tasks` are the directive sentences, `snippets`
 * the malicious code (both already expanded and filtered by any hold-out); `readmes` benign paragraphs.
 */
export function injectedWindows(rand, data, { tasks, leadIns, snippets, readmes, segments, rounds }) {
  const none = { start: -1, end: -1 };
  const readerLeadIns = [...data.readerLeadIns, ...data.benignRequests.filter((l) => /\byour (code|script|file|function|config|settings|\.bashrc|request)/i.test(l))];
  const out = [];
  for (let r = 0; r < rounds; r++) {
    for (const task of tasks) {
      const carrier = textCarrier(rand, data, readmes);
      const { text, start, end } = insert(rand, carrier, task);
      out.push(...labelled(text, { start, end, leadStart: start, leadEnd: end }, segments));
    }
    for (const code of snippets) {
      const lead = pick(rand, leadIns);
      const injected = `${lead}\n${fenced(rand, code)}`;
      const { text, start, end } = insert(rand, codeAnswer(rand, data), injected);
      out.push(...labelled(text, { start, end, leadStart: start, leadEnd: start + lead.length }, segments));
      // The code alone, as when the lead-in fell into another window or was left out.
      out.push(...labelled(code, { start: 0, end: code.length, leadStart: 0, leadEnd: code.length }, segments).filter((e) => e.y === 1 && e.text.length >= MIN_CODE_WINDOW));
    }
    // Look-alikes addressed to a person, in the same carriers: all negative.
    for (const request of data.benignRequests) out.push(...labelled(insert(rand, textCarrier(rand, data, readmes), request).text, none, segments));
    for (const snippet of [...data.benignSnippets, ...data.benignSnippets]) {
      const benign = `${pick(rand, readerLeadIns)}\n${fenced(rand, snippet)}`;
      out.push(...labelled(insert(rand, codeAnswer(rand, data), benign).text, none, segments));
    }
    // As many carriers with nothing injected: code answers, e-mails, READMEs.
    for (let i = 0; i < tasks.length / 2; i++) out.push(...labelled(textCarrier(rand, data, readmes), none, segments));
    for (let i = 0; i < snippets.length * 2; i++) out.push(...labelled(codeAnswer(rand, data), none, segments));
  }
  return out;
}
