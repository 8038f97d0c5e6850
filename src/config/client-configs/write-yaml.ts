/**
 * The imported upstreams as `watchdog.yaml` text: a header comment saying where they came from, which
 * variables the gateway needs in its environment (and why: `${env:X}`, a VS Code input's description,
 * `${workspaceFolder}`) and what was skipped; then the listener (the defaults, written out so the user
 * sees where clients connect) and one upstream per entry with its comments. Built with the `yaml`
 * library's document API so quoting is always right; the output is deterministic for golden tests.
 */
import { Document, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ImportedUpstream, SkippedEntry } from './convert.js';
import type { ClientFormat } from './read.js';
import type { VariableUse } from './variables.js';

export interface YamlInput {
  /** Shown in the header; a base name keeps the output free of local paths. */
  sourceName: string;
  format: ClientFormat;
  upstreams: readonly ImportedUpstream[];
  skipped: readonly SkippedEntry[];
  variables: readonly VariableUse[];
}

const FLOW_ARGS_MAX = 72;

function header(input: YamlInput): string[] {
  const lines = [
    `watchdog.yaml imported from ${input.sourceName} (${input.format}) by \`watchdog import\`.`,
    'An assistant spawns the gateway (`mcp-watchdog stdio --config <this file>`), or `watchdog run` serves',
    'http://127.0.0.1:8765/mcp (gateway.http below) for several clients.',
  ];
  if (input.variables.length > 0) {
    lines.push('Set these in the environment of the gateway before starting it:');
    const width = Math.max(...input.variables.map((v) => v.name.length));
    for (const v of input.variables) lines.push(`  ${v.name.padEnd(width)}  ${v.origin}`);
  }
  if (input.skipped.length > 0) {
    lines.push('Not imported:');
    for (const s of input.skipped) lines.push(`  ${s.name} (${s.where}): ${s.reason}`);
  }
  return lines;
}

const comment = (lines: readonly string[]) => lines.map((l) => ` ${l}`).join('\n');

export function writeYaml(input: YamlInput): string {
  const upstreams = input.upstreams.map((u) => ({ name: u.name, ...u.fields }));
  const doc = new Document({ gateway: { http: { host: '127.0.0.1', port: 8765 } }, upstreams });
  doc.commentBefore = comment(header(input));
  const seq = doc.get('upstreams') as YAMLSeq<YAMLMap>;
  seq.items.forEach((item, i) => {
    const u = input.upstreams[i] as ImportedUpstream;
    if (u.comments.length > 0) item.commentBefore = comment(u.comments);
    if (i > 0) item.spaceBefore = true;
    const args = item.get('args');
    if (isSeq(args) && JSON.stringify(args.toJSON()).length <= FLOW_ARGS_MAX) args.flow = true;
  });
  if (upstreams.length === 0) doc.set('upstreams', doc.createNode([]));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
