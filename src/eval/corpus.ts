/**
 * Reader for the labelled corpus format (`../shared/corpus/README.md`): one JSON object per line with
 * id, label, surface, text, category and optional tool_name / input_schema (a JSON string, a
 * Python-style dict string, or an object). Directories are read file by file (`*.jsonl`, sorted), so
 * metrics are reported per file.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parsePythonLiteral } from './python-literal.js';

export type Surface = 'tool_description' | 'tool_response' | 'prompt';

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
