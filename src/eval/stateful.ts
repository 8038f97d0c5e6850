/**
 * The stateful corpus files (issue 10, acceptance 4), through the same inspection the gateway uses:
 * - `tool_change_pairs.jsonl`: over fresh in-memory state, the `before` definition is listed (and pinned
 *   on first use), then the later one; the record is flagged when the later listing carries a finding
 *   of severity high or above (a held change, or a content rule that fires on its own). A benign edit
 *   re-pinned with an alert is not flagged.
 * - `tool_name_collisions.jsonl`: the record's tool is listed by its server while the catalog view
 *   holds what it collides with, before it in config order. `collides_with` names a tool for the
 *   shadows (the corpus notes that they carry the legitimate tool's description, so that tool is given
 *   the record's own description) and another server for the real collisions, whose tool of the same
 *   name is that server's record in the file when there is one, else a tool with no description.
 *   Flagged as above.
 */
import type { CatalogTool, Envelope } from '../core/index.js';
import { severityRank, staticCatalogView } from '../core/index.js';
import { PolicySchema } from '../config/schema.js';
import { createInspection, memoryPorts } from '../inspection.js';
import type { CorpusRecord } from './corpus.js';
import type { Prediction } from './prediction.js';

const monitor = () => PolicySchema.parse({ mode: 'monitor' });

function listing(upstream: string, name: string, description: string, inputSchema: unknown): Envelope {
  return { method: 'tools/list', direction: 'to_client', upstream, tool: name, payload: { name, description, inputSchema: inputSchema ?? { type: 'object' } } };
}

function prediction(record: CorpusRecord, findings: { rule: string; severity: Prediction['findings'][number]['severity'] }[]): Prediction {
  const flagged = findings.some((f) => severityRank(f.severity) >= severityRank('high'));
  return { id: record.id, file: record.file, flagged, findings };
}

export async function runChangePair(record: CorpusRecord): Promise<Prediction> {
  const { pipeline } = createInspection({ policy: monitor() }, memoryPorts());
  const name = record.toolName ?? 't';
  await pipeline.inspect(listing('upstream', name, record.before ?? '', record.beforeInputSchema));
  const verdict = await pipeline.inspect(listing('upstream', name, record.text, record.inputSchema));
  return prediction(record, verdict.findings.map((f) => ({ rule: f.rule, severity: f.severity })));
}

/** A tool name has no spaces; a server name (the real collisions' `collides_with`) does. */
function namesTool(collidesWith: string): boolean {
  return !/\s/.test(collidesWith);
}

function counterparts(record: CorpusRecord, all: readonly CorpusRecord[]): CatalogTool[] {
  const name = record.toolName ?? 't';
  const other = record.collidesWith;
  if (other === undefined) return [];
  if (namesTool(other)) return [{ upstream: 'original', name: other, publicName: other, description: record.text }];
  const theirs = all.find((r) => r.server === other && r.toolName === name && r !== record);
  return [{ upstream: 'original', name, publicName: name, ...(theirs ? { description: theirs.text } : {}) }];
}

export async function runCollision(record: CorpusRecord, all: readonly CorpusRecord[]): Promise<Prediction> {
  const catalog = staticCatalogView(counterparts(record, all));
  const { pipeline } = createInspection({ policy: monitor() }, memoryPorts({ catalog }));
  const verdict = await pipeline.inspect(listing('shadow', record.toolName ?? 't', record.text, record.inputSchema));
  return prediction(record, verdict.findings.map((f) => ({ rule: f.rule, severity: f.severity })));
}
