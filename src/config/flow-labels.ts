/**
 * What the flow config means for one tool and one flow (issue 9): a tool's labels, and the action for a
 * value read from one place and sent to another.
 *
 * Labels of a tool: the first `toolLabels` glob (file order) matching its upstream name gives exactly
 * its labels; otherwise the upstream's `labels` plus the defaults from the tool's MCP annotations —
 * `openWorldHint: true` makes a read-only tool (`readOnlyHint: true`) `untrusted` and any other tool a
 * `sink`. Only hints a server stated count: the spec's defaults for absent hints (open world, not
 * read-only) would make every unannotated tool a sink.
 *
 * Action of a flow: the first `flows.pairs` entry matching (from, to), else the defaults — `private`
 * data to a `sink` blocks, any other flow alerts.
 */
import { globMatches, type ToolHints } from '../core/index.js';
import type { FlowAction, FlowLabel, FlowPairConfig } from './flows-schema.js';

export interface LabelSource {
  labels: readonly FlowLabel[];
  toolLabels: Readonly<Record<string, readonly FlowLabel[]>>;
}

export function toolLabels(upstream: LabelSource | undefined, tool: string | undefined, hints: ToolHints | undefined): FlowLabel[] {
  if (upstream && tool !== undefined) {
    for (const [glob, labels] of Object.entries(upstream.toolLabels)) if (globMatches(glob, tool)) return [...new Set(labels)];
  }
  const out = new Set<FlowLabel>(upstream?.labels ?? []);
  if (hints?.openWorldHint === true) out.add(hints.readOnlyHint === true ? 'untrusted' : 'sink');
  return [...out];
}

/** One end of a flow: which upstream, with the labels of the tool involved. */
export interface FlowEnd {
  upstream: string;
  labels: readonly FlowLabel[];
}

function endMatches(pattern: string, end: FlowEnd): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('upstream:')) return end.upstream === pattern.slice(9);
  if (pattern.startsWith('label:')) return end.labels.includes(pattern.slice(6) as FlowLabel);
  return end.upstream === pattern || end.labels.includes(pattern as FlowLabel);
}

export function isPrivateToSink(from: FlowEnd, to: FlowEnd): boolean {
  return from.labels.includes('private') && to.labels.includes('sink');
}

export function flowAction(pairs: readonly FlowPairConfig[], from: FlowEnd, to: FlowEnd): FlowAction {
  const pair = pairs.find((p) => endMatches(p.from, from) && endMatches(p.to, to));
  if (pair) return pair.action;
  return isPrivateToSink(from, to) ? 'block' : 'alert';
}
