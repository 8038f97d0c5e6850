/**
 * Reader for the labelled corpus format (`../shared/corpus/README.md`): one JSON object per line with
 * id, label, surface, text, category and optional tool_name / input_schema (a JSON string, a
 * Python-style dict string, or an object). Directories are read file by file (`*.jsonl`, sorted), so
 * metrics are reported per file.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parsePythonLiteral } from './python-literal.js';

export type Surface = 'tool_description' | 'tool_response' | 'prompt' | 'flow';

/** One end of a flow record (issue 9): a tool of an upstream with its flow labels. */
export interface FlowStep {
  upstream: string;
  tool: string;
  labels: string[];
}

/** A `flow` record: results that reached the client (`reads`, in order), then one outbound call. */
export interface FlowCase {
  reads: Array<FlowStep & { text: string }>;
  call: FlowStep & { arguments: Record<string, unknown> };
}

export interface CorpusRecord {
  id: string;
  file: string;
  label: 'malicious' | 'benign';
  surface: Surface;
  text: string;
  category: string;
  toolName?: string;
  inputSchema?: unknown;
  /** Present on tool_change_pairs / tool_name_collisions records: needs the stateful detectors. */
  stateful: boolean;
  /** Change pairs: the earlier definition (`text`/`inputSchema` are the later one). */
  before?: string;
  beforeInputSchema?: unknown;
  /** Name collisions: the server offering the tool, and the tool (or, for benign records, server) it collides with. */
  server?: string;
  collidesWith?: string;
  /** `flow` records only: what was read and what is sent. */
  flow?: FlowCase;
}

function flowStep(v: unknown, what: string): FlowStep {
  const o = (v ?? {}) as Record<string, unknown>;
  if (typeof o['upstream'] !== 'string' || typeof o['tool'] !== 'string') throw new Error(`${what} needs upstream and tool`);
  const labels = Array.isArray(o['labels']) ? o['labels'].map(String) : [];
  return { upstream: o['upstream'], tool: o['tool'], labels };
}

function flowCase(r: Record<string, unknown>): FlowCase {
  const reads = Array.isArray(r['reads']) ? r['reads'] : [];
  const call = (r['call'] ?? {}) as Record<string, unknown>;
  const args = call['arguments'];
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new Error('call.arguments must be an object');
  return {
    reads: reads.map((x, i) => ({ ...flowStep(x, `reads[${i}]`), text: String((x as Record<string, unknown>)['text'] ?? '') })),
    call: { ...flowStep(call, 'call'), arguments: args as Record<string, unknown> },
  };
}

export function parseSchema(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    try {
      return parsePythonLiteral(value);
    } catch {
      return undefined;
    }
  }
}

export function parseRecord(line: string, file: string): CorpusRecord {
  const r = JSON.parse(line) as Record<string, unknown>;
  const label = r['label'] === 'malicious' ? 'malicious' : 'benign';
  const record: CorpusRecord = {
    id: String(r['id'] ?? ''),
    file,
    label,
    surface: (r['surface'] as Surface | undefined) ?? 'tool_response',
    text: typeof r['text'] === 'string' ? r['text'] : '',
    category: String(r['category'] ?? ''),
    stateful: 'before' in r || 'collides_with' in r || /tool_change_pairs|tool_name_collisions/.test(file),
  };
  if (typeof r['tool_name'] === 'string') record.toolName = r['tool_name'];
  if (record.surface === 'flow') record.flow = flowCase(r);
  const schema = parseSchema(r['input_schema']);
  if (schema !== undefined) record.inputSchema = schema;
  if (typeof r['before'] === 'string') record.before = r['before'];
  const beforeSchema = parseSchema(r['before_input_schema']);
  if (beforeSchema !== undefined) record.beforeInputSchema = beforeSchema;
  if (typeof r['server'] === 'string') record.server = r['server'];
  if (typeof r['collides_with'] === 'string') record.collidesWith = r['collides_with'];
  return record;
}

async function filesOf(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith('.jsonl')).sort();
  return names.map((n) => join(path, n));
}

export async function readCorpus(paths: readonly string[]): Promise<CorpusRecord[]> {
  const out: CorpusRecord[] = [];
  for (const p of paths) {
    for (const file of await filesOf(p)) {
      const text = await readFile(file, 'utf8');
      const name = basename(file);
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          out.push(parseRecord(line, name));
        } catch (err) {
          throw new Error(`${name}:${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    }
  }
  return out;
}
