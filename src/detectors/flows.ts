/**
 * Cross-server flow tracking (issue 9). The gateway sees every server, so it can notice data read from
 * one being sent to another.
 * - `observe` (after the verdict, only what reached the client) hands each `tools/call` result and
 *   `resources/read` content to the store's `rememberLater`: the reply waits for no hashing; the store
 *   fingerprints it on the next turn, or before its next lookup, whichever comes first (flows/fingerprint.ts: salted hashes of e-mails, URLs, opaque ids and
 *   winnowed prose shingles) and remembers them in the flow store with their origin: upstream, tool,
 *   the tool's labels, session and principal. Reads of `untrusted` or `private` tools also leave a
 *   marker for the session-risk check.
 * - `inspect` fingerprints every `tools/call` argument going upstream (as sent and decoded:
 *   flows/decode-argument.ts), looks them up among the principal's reads and judges the hits
 *   (flows/flow-judge.ts); shingles of stock phrases (flows/stock-phrases.ts) never count. Each origin that flowed gives one `flows/flow` finding naming source,
 *   destination, the kind of value and when it was read — never the value. Its action comes from
 *   `flows.pairs`, else the defaults: `private` data to a `sink` of another upstream blocks (critical),
 *   any other cross-server flow alerts (medium); a pair with `allow` gives no finding.
 * - Session risk: a call to a `sink` tool by a principal that read `untrusted` content and `private`
 *   data within the ttl gives `flows/trifecta`, medium (alert) or critical with `flows.trifecta: block`.
 * State is shared through the store: every gateway process on one store file sees the same reads.
 */
import { type CatalogTool, type CatalogView, type Clock, type Envelope, type FlowOrigin, type FlowStore } from '../core/index.js';
import { flowAction, toolLabels, type FlowEnd, type FlowLabel, type FlowsConfig, type LabelSource } from '../config/index.js';
import type { Detector, DetectorContext, RawFinding } from '../pipeline/types.js';
import { CallFingerprintCollector } from './flows/call-fingerprints.js';
import { fingerprintKey, KIND_NAMES, textFingerprints, type FingerprintKey } from './flows/fingerprint.js';
import { judgeFlows, type Flow } from './flows/flow-judge.js';
import { stockFingerprints } from './flows/stock-phrases.js';

/** Fingerprints remembered of one message at most, repeats counted (a 64 KB result gives about 4000). */
export const MAX_OBSERVED = 8192;

/** What marks a read of an `untrusted` or `private` tool for the session-risk check. */
const READ_MARKS: Readonly<Partial<Record<FlowLabel, string>>> = { untrusted: '~read:untrusted', private: '~read:private' };

export interface FlowsOptions {
  flows: Pick<FlowsConfig, 'pairs' | 'trifecta'>;
  upstreams: ReadonlyMap<string, LabelSource>;
}

export interface FlowsPorts {
  flows: FlowStore;
  catalog: CatalogView;
  clock: Clock;
}

interface Tool {
  /** The tool's name at its upstream, when the message concerns one. */
  name?: string;
  labels: FlowLabel[];
}

/**
 * The fingerprints remembered of a delivered message: its prose fields' (at most `MAX_OBSERVED`), then
 * the read marks. Repeats across fields are left to the store (it drops a call's repeats): a Set of 4000
 * strings here was a third of the 1 ms budget.
 */
function observedFingerprints(texts: readonly string[], marks: readonly string[], key: FingerprintKey): string[] {
  const fingerprints: string[] = [];
  for (const text of texts) {
    if (fingerprints.length >= MAX_OBSERVED) break;
    textFingerprints(text, key, fingerprints);
    if (fingerprints.length > MAX_OBSERVED) fingerprints.length = MAX_OBSERVED;
  }
  fingerprints.push(...marks);
  return fingerprints;
}

function describeEnd(upstream: string, tool: string | undefined): string {
  return tool ? `upstream "${upstream}" (tool ${tool})` : `upstream "${upstream}"`;
}

function flowFinding(flow: Flow, to: { upstream: string; tool: Tool }, action: 'alert' | 'block'): RawFinding {
  const what = flow.kinds.map((k) => KIND_NAMES[k]).join(', ');
  const from = describeEnd(flow.origin.upstream, flow.origin.tool);
  const why = action === 'block' ? 'private data to a sink of another upstream' : 'a cross-server flow';
  return {
    rule: 'flows/flow',
    severity: action === 'block' ? 'critical' : 'medium',
    path: flow.path,
    reason: `${what} read from ${from} at ${new Date(flow.at).toISOString()} is being sent to ${describeEnd(to.upstream, to.tool.name)}: ${why}`,
    match: flow.fingerprint,
  };
}

export function createFlowsDetector(options: FlowsOptions, ports: FlowsPorts): Detector {
  // The salt can change once after start (a replicated store adopts the one its replicas share): keyed lazily.
  let keyed: { key: FingerprintKey; stock: ReturnType<typeof stockFingerprints> } | undefined;
  const current = () => {
    if (keyed?.key.salt !== ports.flows.salt) {
      const key = fingerprintKey(ports.flows.salt);
      keyed = { key, stock: stockFingerprints(key.seeds) };
    }
    return keyed;
  };
  const toolOf = (envelope: Envelope): Tool => {
    const listed: CatalogTool | undefined = envelope.tool === undefined ? undefined : ports.catalog.tools().find((t) => t.upstream === envelope.upstream && t.publicName === envelope.tool);
    const name = listed?.name ?? envelope.tool;
    return { ...(name === undefined ? {} : { name }), labels: toolLabels(options.upstreams.get(envelope.upstream), name, listed?.hints) };
  };
  const lookup = (fingerprints: readonly string[], envelope: Envelope) =>
    ports.flows.lookup(fingerprints, { limit: 10_000, ...(envelope.principal === undefined ? {} : { principal: envelope.principal }) });

  const collector = new CallFingerprintCollector();
  const flowFindings = (ctx: DetectorContext, tool: Tool): RawFinding[] => {
    const { key, stock } = current();
    const { fingerprints, paths } = collector.collect(ctx.fields, key, stock);
    if (fingerprints.length === 0) return [];
    const { upstream } = ctx.envelope;
    const to: FlowEnd = { upstream, labels: tool.labels };
    const findings: RawFinding[] = [];
    for (const flow of judgeFlows(fingerprints, paths, lookup(fingerprints, ctx.envelope), upstream)) {
      const action = flowAction(options.flows.pairs, { upstream: flow.origin.upstream, labels: (flow.origin.labels ?? []) as FlowLabel[] }, to);
      if (action !== 'allow') findings.push(flowFinding(flow, { upstream, tool }, action));
    }
    return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
  };

  const trifecta = (envelope: Envelope, tool: Tool): RawFinding[] => {
    if (options.flows.trifecta === 'off' || !tool.labels.includes('sink')) return [];
    const hits = lookup([READ_MARKS.untrusted as string, READ_MARKS.private as string], envelope);
    const untrusted = hits.find((h) => h.fingerprint === READ_MARKS.untrusted);
    const secret = hits.find((h) => h.fingerprint === READ_MARKS.private);
    if (!untrusted || !secret) return [];
    const reason =
      `session risk: this principal read untrusted content from ${describeEnd(untrusted.origin.upstream, untrusted.origin.tool)} at ${new Date(untrusted.at).toISOString()} ` +
      `and private data from ${describeEnd(secret.origin.upstream, secret.origin.tool)} at ${new Date(secret.at).toISOString()}, and now calls a sink, ${describeEnd(envelope.upstream, tool.name)}`;
    return [{ rule: 'flows/trifecta', severity: options.flows.trifecta === 'block' ? 'critical' : 'medium', path: 'name', reason, match: '' }];
  };

  return {
    id: 'flows',
    phase: 'call',
    methods: ['tools/call', 'resources/read'],
    directions: ['to_upstream', 'to_client'],
    inspect(ctx) {
      const { envelope } = ctx;
      if (envelope.direction !== 'to_upstream' || envelope.method !== 'tools/call') return [];
      const tool = toolOf(envelope);
      return [...flowFindings(ctx, tool), ...trifecta(envelope, tool)];
    },
    observe(ctx) {
      const { envelope } = ctx;
      if (envelope.direction !== 'to_client' || envelope.payloadKind === 'error') return;
      const tool = envelope.method === 'tools/call' ? toolOf(envelope) : { labels: toolLabels(options.upstreams.get(envelope.upstream), undefined, undefined) };
      // The reply waits only for queuing the delivered text (issue 9, "Fast"): the store fingerprints it
      // on the next turn, or before its next lookup, so a check that follows at once still sees it.
      const texts: string[] = [];
      let bytes = 0;
      for (const field of ctx.fields) {
        if (field.role !== 'prose') continue;
        texts.push(field.text);
        bytes += field.text.length;
      }
      const marks = tool.labels.flatMap((label) => READ_MARKS[label] ?? []);
      const origin: FlowOrigin = {
        upstream: envelope.upstream,
        method: envelope.method,
        ...(tool.name === undefined ? {} : { tool: tool.name }),
        ...(envelope.session === undefined ? {} : { session: envelope.session }),
        ...(envelope.principal === undefined ? {} : { principal: envelope.principal }),
        labels: tool.labels,
      };
      ports.flows.rememberLater(origin, () => observedFingerprints(texts, marks, current().key), ports.clock.now(), bytes);
    },
  };
}
