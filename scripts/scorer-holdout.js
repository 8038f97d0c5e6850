#!/usr/bin/env node
// The held-out figure of the local scorer (issue 15, README "How the scorer is measured"): trains a model
// without every training positive of some attack families (--hold-out of train-scorer.js), then runs the
// eval pipeline with that model over the tool-response files of the corpus and prints recall per BIPIA
// category and false positives per file. The BIPIA categories of the held-out families (HELD_OUT_CATEGORIES)
// are then attacks of a kind the model never saw a positive of. Run `npm run build` first.
// Usage: node scripts/scorer-holdout.js [corpus-dir]      (default ../shared/corpus; about 3 minutes)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLocalScorer } from '../dist/classifier/index.js';
import { buildReport, evalPipeline, formatTable, readCorpus, runRecords } from '../dist/eval/index.js';

/** Answer-form tricks (reverse, emoji, misspelling) and screen capture and traffic tunnelling in code. */
export const HOLD_OUT =
  'emoji|revers|backward|invert|flip|typo|misspel|spelling|scrambl|jumble|shuffl|screen|pyautogui|imagegrab|scrot|x11grab|snipping|ssh |tcpdump|sniff|relay|tunnel|port.?forward|socket';
const HELD_OUT_CATEGORIES = /Emoji Substitution|Reverse Text|Misspelling Intentionally|Screen Scraping|Traffic Analysis/;
const FILES = ['bipia', 'agentdojo', 'livemcpbench', 'hard_negatives', 'misc'].map((f) => `${f}_tool_responses.jsonl`);

const corpus = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const dir = mkdtempSync(join(tmpdir(), 'scorer-holdout-'));
try {
  const model = join(dir, 'held-out.bin');
  execFileSync(process.execPath, [join(import.meta.dirname, 'train-scorer.js'), '--hold-out', HOLD_OUT, model], { stdio: 'inherit' });
  const records = await readCorpus(FILES.map((f) => join(corpus, f)));
  const report = buildReport(await runRecords(records, evalPipeline(loadLocalScorer(model))));
  const bipia = report.categories.filter((r) => r.name.startsWith('bipia_tool_responses / bipia_'));
  const held = bipia.filter((r) => HELD_OUT_CATEGORIES.test(r.name));
  const sum = (rows, k) => rows.reduce((n, r) => n + r[k], 0);
  console.log(formatTable('Per file (model trained without the held-out families)', report.files));
  console.log(formatTable('BIPIA categories', bipia));
  console.log(`held-out categories: ${sum(held, 'caught')}/${sum(held, 'malicious')}; seen categories: ${sum(bipia, 'caught') - sum(held, 'caught')}/${sum(bipia, 'malicious') - sum(held, 'malicious')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
