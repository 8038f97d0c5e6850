/**
 * Runs a `flow` record (issue 9, acceptance 5) through the gateway's inspection over fresh in-memory
 * state: each read is a `tools/call` result the client received (observed after its verdict), then the
 * call's arguments go upstream. The upstreams' labels come from the record (each tool gets exactly its
 * labels). "Flagged" means a `flows/flow` finding the default pair actions would block (critical):
 * other detectors' findings on the same call are reported but do not count, so the figures measure
 * flow tracking alone.
 */
import { PolicySchema } from '../config/schema.js';
import { FLOW_LABELS, FlowsSchema, type FlowLabel } from '../config/index.js';
import { staticCatalogView, type CatalogTool, type Severity } from '../core/index.js';
import { createInspection, memoryPorts, type UpstreamGuards } from '../inspection.js';
import type { CorpusRecord, FlowCase, FlowStep } from './corpus.js';

const PRINCIPAL = 'user:eval';

type CorpusFinding = { rule: string; severity: Severity };

function publicName(step: FlowStep): string {
  return `${step.upstream}__${step.tool}`;
}

function labelsOf(step: FlowStep): FlowLabel[] {
  return step.labels.filter((l): l is FlowLabel => (FLOW_LABELS as readonly string[]).includes(l));
}

function upstreamsOf(flow: FlowCase): UpstreamGuards[] {
  const byName = new Map<string, Record<string, FlowLabel[]>>();
  for (const step of [...flow.reads, flow.call]) {
    const tools = byName.get(step.upstream) ?? {};
    tools[step.tool] = labelsOf(step);
    byName.set(step.upstream, tools);
  }
  return [...byName].map(([name, toolLabels]) => ({ name, labels: [], toolLabels }));
}

export async function runFlowRecord(record: CorpusRecord & { flow: FlowCase }): Promise<{ flagged: boolean; findings: CorpusFinding[] }> {
  const { flow } = record;
  const tools: CatalogTool[] = [...flow.reads, flow.call].map((s) => ({ upstream: s.upstream, name: s.tool, publicName: publicName(s) }));
  const ports = memoryPorts({ catalog: staticCatalogView(tools) });
  const policy = PolicySchema.parse({ mode: 'monitor' });
  const { pipeline } = createInspection({ policy, upstreams: upstreamsOf(flow), flows: FlowsSchema.parse({}) }, ports);
  const base = { method: 'tools/call', principal: PRINCIPAL, session: 'eval' } as const;
  for (const read of flow.reads) {
    await pipeline.inspect({ ...base, direction: 'to_client', upstream: read.upstream, tool: publicName(read), payload: { content: [{ type: 'text', text: read.text }] } });
  }
  const { call } = flow;
  const verdict = await pipeline.inspect({ ...base, direction: 'to_upstream', upstream: call.upstream, tool: publicName(call), payload: { name: call.tool, arguments: call.arguments } });
  const findings = verdict.findings.map((f) => ({ rule: f.rule, severity: f.severity }));
  return { flagged: findings.some((f) => f.rule === 'flows/flow' && f.severity === 'critical'), findings };
}
