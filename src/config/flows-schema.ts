/**
 * The flow-tracking part of the one config schema (issue 9): labels on upstreams and tools, and the
 * `flows:` section. Kept beside schema.ts (which composes it) so that file stays readable; it is the
 * same schema, validated and frozen with the rest.
 * A label says what a server holds or does: `private` (its data must not leave: mail, CRM, private
 * repositories), `untrusted` (its content may carry someone else's instructions: the web, inboxes,
 * issue trackers), `sink` (it sends data where others can read it: chat, e-mail, web requests). Labels
 * decide what a flow is worth (block or alert); flows between any two servers are tracked regardless.
 */
import { z } from 'zod';

export const FLOW_LABELS = ['private', 'untrusted', 'sink'] as const;
export type FlowLabel = (typeof FLOW_LABELS)[number];
const FlowLabelSchema = z.enum(FLOW_LABELS);

/** Fields every upstream entry gets (spread into schema.ts's UpstreamCommon). */
export const UpstreamLabelFields = {
  labels: z
    .array(FlowLabelSchema)
    .default([])
    .describe('flow labels of every tool of this upstream: private, untrusted, sink; added to the defaults from each tool\'s MCP annotations; default []'),
  toolLabels: z
    .record(z.string(), z.array(FlowLabelSchema))
    .default({})
    .describe('upstream tool-name glob -> labels; a matching tool has exactly these (neither `labels` nor annotation defaults apply); first matching glob in file order; default {}'),
};

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Seconds (a number) or a duration string (`90s`, `30m`, `24h`, `7d`), to milliseconds. */
const DurationMs = z.union([
  z.number().positive().transform((seconds) => seconds * 1000),
  z
    .string()
    .regex(/^\d{1,9}[smhd]$/, 'must be seconds or a duration such as 30m, 24h, 7d')
    .transform((text) => Number(text.slice(0, -1)) * (UNITS[text.slice(-1)] as number)),
]);

export const FLOW_ACTIONS = ['allow', 'alert', 'block'] as const;
export type FlowAction = (typeof FLOW_ACTIONS)[number];

/**
 * One end of a pair: `*`, a label, an upstream name, or `upstream:NAME` / `label:NAME` when an upstream
 * is named like a label. Checked against the upstreams in schema.ts (a typo is an error, not a pair that
 * never matches).
 */
const PairEnd = z.string().regex(/^(\*|(upstream:|label:)?[a-z0-9-]{1,32})$/, 'must be *, a label (private, untrusted, sink) or an upstream name');

const FlowPair = z
  .object({
    from: PairEnd.describe('where the data was read: *, a label or an upstream name'),
    to: PairEnd.describe('where it is being sent: *, a label or an upstream name'),
    action: z.enum(FLOW_ACTIONS).describe('allow (no finding), alert or block'),
  })
  .strict();

export const DEFAULT_FLOWS_TTL_MS = 24 * 3_600_000;
export const DEFAULT_FLOWS_MAX_ENTRIES = 1_000_000;

export const FlowsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('track values read from one upstream and sent to another; default true'),
    ttl: DurationMs.default(DEFAULT_FLOWS_TTL_MS).describe('how long a value read stays traceable (and a read counts towards the trifecta): seconds or 30m, 24h, 7d; default 24h'),
    maxEntries: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_FLOWS_MAX_ENTRIES)
      .describe('remembered fingerprints at most, the oldest dropped first (about 70 bytes each on disk); default 1000000'),
    pairs: z
      .array(FlowPair)
      .default([])
      .describe('actions per (from, to) pair, first match wins; after them the defaults: private -> sink of another upstream blocks, any other cross-server flow alerts; default []'),
    trifecta: z
      .enum(['off', 'alert', 'block'])
      .default('alert')
      .describe('a principal that read untrusted content and private data within the ttl and now calls a sink: alert, block or off; default alert'),
  })
  .strict();

export type FlowsConfig = z.infer<typeof FlowsSchema>;
export type FlowPairConfig = z.infer<typeof FlowPair>;

/** Why a pair end names nothing, or undefined when it names `*`, a label or a configured upstream. */
export function unknownPairEnd(end: string, upstreams: ReadonlySet<string>): string | undefined {
  if (end === '*') return undefined;
  if (end.startsWith('label:')) return (FLOW_LABELS as readonly string[]).includes(end.slice(6)) ? undefined : `"${end}" is not a label (private, untrusted, sink)`;
  const name = end.startsWith('upstream:') ? end.slice(9) : end;
  if (!end.startsWith('upstream:') && (FLOW_LABELS as readonly string[]).includes(end)) return undefined;
  return upstreams.has(name) ? undefined : `"${end}" is neither a label (private, untrusted, sink) nor a configured upstream`;
}
