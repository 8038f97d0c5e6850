/**
 * `watchdog eval FILE_OR_DIR… [--json] [--predictions OUT.jsonl] [--baseline FILE] [--update-baseline]
 * [--judge [--config FILE]]` (issue 4). Prints recall and false positives per file, per category and for
 * the target rows. `--judge` (issue 15) adds the LLM judge as the config's `detection.semantic`
 * sets it up (model, baseURL, apiKey or ANTHROPIC_API_KEY, judge, limits; the config found as every
 * command finds it, else the defaults), enabled whatever its `enabled` says, and reports what it answered;
 * without a key it is an error (exit 2), never a silent run without the judge.
 * With `--baseline`, exits 1 when a listed known error is now correct (stale) or an unlisted record is
 * wrong; `--update-baseline` rewrites the file from this run. Without paths it evaluates
 * `../shared/corpus` when that folder exists, and otherwise reports that there is nothing to evaluate.
 * Exit codes: 0 ok, 1 baseline mismatch, 2 usage or input error.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { discoverConfig, DetectionSchema, loadConfig, type DetectionConfig } from '../config/index.js';
import {
  buildReport, checkBaseline, currentErrors, evalInspection, formatBaseline, formatJudgeTally, formatTable, judgeCatches, parseBaseline, readCorpus,
  runRecords, type BaselineCheck, type JudgeTally, type Outcome, type Report,
} from '../eval/index.js';
import { flagSet, parseCommandLine, stringOption, type ParsedArgs } from './args.js';
import { COMMANDS } from './commands-spec.js';

interface EvalArgs {
  paths: string[];
  json: boolean;
  predictions?: string;
  baseline?: string;
  updateBaseline: boolean;
  judge: boolean;
  config?: string;
}

const DEFAULT_CORPUS = '../shared/corpus';

function evalArgs(args: ParsedArgs): EvalArgs {
  return {
    paths: [...args.positional],
    json: flagSet(args, 'json'),
    predictions: stringOption(args, 'predictions'),
    baseline: stringOption(args, 'baseline'),
    updateBaseline: flagSet(args, 'update-baseline'),
    judge: flagSet(args, 'judge'),
    config: stringOption(args, 'config'),
  };
}

/** `--judge`: the config's semantic settings (or the defaults when no config is found), the judge enabled. */
function judgeDetection(configFlag: string | undefined): DetectionConfig {
  const path = discoverConfig({ flag: configFlag });
  const detection = path ? loadConfig(path).config.detection : DetectionSchema.parse({});
  return { semantic: { ...detection.semantic, enabled: true } };
}

function printReport(report: Report, check: BaselineCheck | undefined, notEvaluated: number, judge: JudgeTally | undefined, out: NodeJS.WritableStream): void {
  out.write(`${formatTable('Targets (issues 4 and 10)', report.targets)}\n\n`);
  out.write(`${formatTable('Per file', report.files)}\n\n`);
  out.write(`${formatTable('Per category', report.categories)}\n`);
  if (judge) out.write(`\n${formatJudgeTally(judge)}\n`);
  if (notEvaluated > 0) out.write(`\n${notEvaluated} records not evaluated (stateful records of no known shape: a change pair needs "before", a collision lives in tool_name_collisions.jsonl)\n`);
  if (!check) return;
  out.write(`\nbaseline: ${check.ok ? 'ok' : 'MISMATCH'}\n`);
  for (const k of check.stale) out.write(`  stale (now correct, remove from baseline): ${k}\n`);
  for (const k of check.newMisses) out.write(`  new miss: ${k}\n`);
  for (const k of check.newFalsePositives) out.write(`  new false positive: ${k}\n`);
}

async function writePredictions(file: string, outcomes: readonly Outcome[]): Promise<void> {
  const lines = outcomes.flatMap((o) => (o.prediction ? [JSON.stringify(o.prediction)] : []));
  await writeFile(file, lines.length ? `${lines.join('\n')}\n` : '');
}

/** `watchdog eval` from its arguments alone (tests call this); parsed by the one CLI parser. */
export async function evalCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  try {
    const line = parseCommandLine(['eval', ...argv], COMMANDS);
    if (line.kind === 'run') return await runEval(line.args, out);
    out.write('watchdog eval: see watchdog eval --help\n');
    return 2;
  } catch (err) {
    out.write(`watchdog eval: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

export async function runEval(parsed: ParsedArgs, out: NodeJS.WritableStream): Promise<number> {
  const args = evalArgs(parsed);
  if (args.paths.length === 0) {
    if (!existsSync(DEFAULT_CORPUS)) {
      out.write(`watchdog eval: no corpus given and ${DEFAULT_CORPUS} not found; nothing to evaluate\n`);
      return 0;
    }
    args.paths.push(DEFAULT_CORPUS);
  }
  try {
    const inspection = evalInspection(args.judge ? { detection: judgeDetection(args.config) } : {});
    if (args.judge && !inspection.judge) {
      out.write('watchdog eval: --judge needs an API key (detection.semantic.apiKey or ANTHROPIC_API_KEY)\n');
      return 2;
    }
    const outcomes = await runRecords(await readCorpus(args.paths), inspection.pipeline);
    const report = buildReport(outcomes);
    const judge = inspection.judge && judgeCatches(inspection.judge, outcomes);
    if (args.predictions) await writePredictions(args.predictions, outcomes);
    if (args.updateBaseline && args.baseline) await writeFile(args.baseline, formatBaseline(currentErrors(outcomes)));
    const check = args.baseline && !args.updateBaseline ? checkBaseline(outcomes, parseBaseline(await readFile(args.baseline, 'utf8'))) : undefined;
    const notEvaluated = outcomes.filter((o) => !o.prediction).length;
    if (args.json) out.write(`${JSON.stringify({ ...report, notEvaluated, baseline: check, ...(judge ? { judge } : {}) }, null, 2)}\n`);
    else printReport(report, check, notEvaluated, judge, out);
    return check && !check.ok ? 1 : 0;
  } catch (err) {
    out.write(`watchdog eval: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
