/**
 * Runs corpus records through the same inspection the gateway uses (`createInspection` of the root), on
 * the envelope of their surface (issue 4, "watchdog eval"): a tool description is one `tools/list` entry with its schema, a tool
 * response is a `tools/call` result text, a prompt is a `sampling/createMessage` user message. The
 * policy is monitor mode so every finding is collected; "flagged" means a finding of severity high or
 * critical. Change pairs and name collisions need state and another upstream's tools (stateful.ts); a
 * stateful record of another shape is reported as not evaluated.
 */
import type { Envelope, TextScorer } from '../core/index.js';
import { noPins, severityRank } from '../core/index.js';
import { DetectionSchema, type DetectionConfig } from '../config/detection-schema.js';
import { DriftSchema } from '../config/drift-schema.js';
import { PolicySchema } from '../config/schema.js';
import { createInspection, memoryPorts, type Pipeline } from '../inspection.js';
import { semanticPorts } from '../semantic-ports.js';
import type { CorpusRecord } from './corpus.js';
import { countingClassifier, emptyJudgeTally, type JudgeTally } from './judge-tally.js';
import type { Prediction } from './prediction.js';
import { runChangePair, runCollision } from './stateful.js';
import { runFlowRecord } from './flow-run.js';

export type { Prediction } from './prediction.js';

export interface Outcome {
  record: CorpusRecord;
  /** undefined when the record was not evaluated (stateful issue). */
  prediction?: Prediction;
}

export function envelopeFor(record: CorpusRecord): Envelope {
  const base = { upstream: 'eval', direction: 'to_client' as const };
  if (record.surface === 'tool_description') {
    const name = record.toolName ?? 't';
    return { ...base, method: 'tools/list', tool: name, payload: { name, description: record.text, inputSchema: record.inputSchema ?? { type: 'object' } } };
  }
  if (record.surface === 'prompt') {
    return { ...base, method: 'sampling/createMessage', payload: { messages: [{ role: 'user', content: { type: 'text', text: record.text } }], maxTokens: 1024 } };
  }
  return { ...base, method: 'tools/call', payload: { content: [{ type: 'text', text: record.text }] } };
}

export interface EvalOptions {
  /** The semantic layer; default the schema's: the local scorer, no LLM judge (nothing leaves the machine). */
  detection?: DetectionConfig;
  /** Where the judge's API key may come from when `detection` enables it; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Replaces the committed local scorer model. */
  scorer?: TextScorer;
}

export interface EvalInspection {
  pipeline: Pipeline;
  /** Present when the LLM judge runs (enabled, with a key): its answers, counted as the run goes. */
  judge?: JudgeTally;
}

/**
 * The gateway's wiring (createInspection) in monitor mode, over fresh in-memory state; without pins, so
 * records of one file that share a tool name are judged each on its own, not as changes of one another.
 * Behavioural drift is off: the corpus records are unrelated messages, not one tool's history, so a
 * baseline of them means nothing. The semantic layer is `options.detection`: by default the local scorer
 * (issue 15), never the LLM judge; `watchdog eval --judge` enables the judge, whose verdicts are cached
 * in memory for the run. `options.scorer` replaces the committed model (the held-out figure of
 * scripts/scorer-holdout.js scores with a model trained without some attack families).
 */
export function evalInspection(options: EvalOptions = {}): EvalInspection {
  const detection = options.detection ?? DetectionSchema.parse({});
  const config = { policy: PolicySchema.parse({ mode: 'monitor' }), drift: DriftSchema.parse({ enabled: false }), detection };
  const { classifier, scorer } = semanticPorts(detection, { ...(options.env ? { env: options.env } : {}), ...(options.scorer ? { scorer: options.scorer } : {}) });
  const judge = classifier ? emptyJudgeTally(detection.semantic.model) : undefined;
  const semantic = { ...(scorer ? { scorer } : {}), ...(classifier && judge ? { classifier: countingClassifier(classifier, judge) } : {}) };
  return { pipeline: createInspection(config, memoryPorts({ pins: noPins, ...semantic })).pipeline, ...(judge ? { judge } : {}) };
}

/** The default evaluation pipeline: the local scorer (or `scorer`), no LLM judge. */
export function evalPipeline(scorer?: TextScorer): Pipeline {
  return evalInspection(scorer ? { scorer } : {}).pipeline;
}

export async function runRecords(records: readonly CorpusRecord[], pipeline: Pipeline = evalPipeline()): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const record of records) {
    if (record.stateful) {
      const prediction = record.before !== undefined ? await runChangePair(record) : /tool_name_collisions/.test(record.file) ? await runCollision(record, records) : undefined;
      out.push(prediction ? { record, prediction } : { record });
      continue;
    }
    if (record.flow) {
      const { flagged, findings } = await runFlowRecord({ ...record, flow: record.flow });
      out.push({ record, prediction: { id: record.id, file: record.file, flagged, findings } });
      continue;
    }
    const verdict = await pipeline.inspect(envelopeFor(record));
    const findings = verdict.findings.map((f) => ({ rule: f.rule, severity: f.severity }));
    const flagged = findings.some((f) => severityRank(f.severity) >= severityRank('high'));
    out.push({ record, prediction: { id: record.id, file: record.file, flagged, findings } });
  }
  return out;
}
