/**
 * Policy: what happens to a finding (issue 4, "Policy"). Actions are looked up from the most specific
 * scope to the least: upstream+direction, upstream, direction, global rules; inside one scope an exact
 * rule id beats its detector id, which beats the longest glob. Unlisted rules follow the defaults:
 * - a finding with a strip plan whose family is on for the upstream (`policy.sanitise`, SMAC-L3, issue 12):
 *   strip in results, prompts and sampling text; in a listing strip below high, and high or critical
 *   blocks (the item is withheld, as before);
 * - otherwise critical -> block, high -> redact when the finding carries a replacement else block,
 *   medium and below -> alert.
 * An action the finding cannot carry falls back (redact -> strip -> block, strip -> redact -> block);
 * the config check (policy-check.ts) reports such keys at load time, so the fallback is never silent.
 * `mode: monitor` turns every action into alert.
 */
import { globMatches, LIST_METHODS, ownValue, severityRank, type Action, type Direction, type Envelope, type Severity } from '../core/index.js';
import type { PolicyConfig } from '../config/schema.js';
import { PolicySchema } from '../config/schema.js';
import type { RawFinding } from './types.js';

export type { PolicyConfig };

export const DEFAULT_POLICY: PolicyConfig = PolicySchema.parse({});

type RuleMap = Readonly<Record<string, Action>>;
type ScopedRules = { rules?: RuleMap };

export function defaultAction(severity: Severity, redactable: boolean): Action {
  if (severity === 'critical') return 'block';
  if (severity === 'high') return redactable ? 'redact' : 'block';
  return 'alert';
}

/** Best key of one rule map for a rule id: exact, then detector id, then the longest matching glob. */
function lookup(map: RuleMap | undefined, rule: string): Action | undefined {
  if (!map) return undefined;
  const exact = ownValue<Action>(map, rule);
  if (exact) return exact;
  const detector = ownValue<Action>(map, rule.split('/')[0] ?? rule);
  if (detector) return detector;
  let best: { len: number; action: Action } | undefined;
  for (const [key, action] of Object.entries(map)) {
    if (key.length > (best?.len ?? -1) && /[*?]/.test(key) && globMatches(key, rule)) best = { len: key.length, action };
  }
  return best?.action;
}

function scopes(policy: PolicyConfig, upstream: string, direction: Direction): (RuleMap | undefined)[] {
  const up = ownValue<PolicyConfig['upstreams'][string]>(policy.upstreams, upstream);
  return [ownValue<ScopedRules>(up?.directions, direction)?.rules, up?.rules, ownValue<ScopedRules>(policy.directions, direction)?.rules, policy.rules];
}

/** Whether the default policy strips this finding's family for this upstream. */
function sanitiseOn(policy: PolicyConfig, envelope: Envelope, finding: RawFinding): boolean {
  if (!finding.strip) return false;
  const family = finding.strip.family;
  return ownValue<PolicyConfig['upstreams'][string]>(policy.upstreams, envelope.upstream)?.sanitise[family] ?? policy.sanitise[family];
}

function defaultFor(policy: PolicyConfig, envelope: Envelope, finding: RawFinding): Action {
  if (sanitiseOn(policy, envelope, finding)) {
    const listing = LIST_METHODS.has(envelope.method);
    if (!listing || severityRank(finding.severity) < severityRank('high')) return 'strip';
  }
  return defaultAction(finding.severity, finding.replacement !== undefined);
}

/** An action the finding cannot carry falls back to one it can (the config check reports such keys). */
function feasible(action: Action, finding: RawFinding): Action {
  const canStrip = finding.strip !== undefined && finding.strip.spans.length > 0;
  const canRedact = finding.replacement !== undefined;
  if (action === 'redact' && !canRedact) return canStrip ? 'strip' : 'block';
  if (action === 'strip' && !canStrip) return canRedact ? 'redact' : 'block';
  return action;
}

export function resolveAction(policy: PolicyConfig, envelope: Envelope, finding: RawFinding): Action {
  if (policy.mode === 'monitor') return 'alert';
  let action: Action | undefined;
  for (const map of scopes(policy, envelope.upstream, envelope.direction)) {
    action = lookup(map, finding.rule);
    if (action) break;
  }
  return feasible(action ?? defaultFor(policy, envelope, finding), finding);
}

/**
 * Argument kinds for tools that no `policy.tools` glob matches: the common names of command and query
 * arguments. A matching glob replaces these, so a tool whose `query` is a web search can opt out.
 */
export const DEFAULT_TOOL_OPTIONS = {
  commandArgs: ['command', 'cmd'],
  queryArgs: ['sql', 'query'],
  urlArgs: [] as string[],
} as const;

/** Which argument names carry shell commands, SQL queries or URLs for one tool (config `policy.tools`). */
export interface ToolOptions {
  commandArgs: readonly string[];
  queryArgs: readonly string[];
  urlArgs: readonly string[];
}

export type ToolsPolicy = PolicyConfig['tools'];

/** Per-tool argument kinds for dangerous-argument checks; every matching glob contributes. */
export function toolOptionsFor(tools: ToolsPolicy, tool: string | undefined): ToolOptions {
  const merged = { commandArgs: [] as string[], queryArgs: [] as string[], urlArgs: [] as string[] };
  let matched = false;
  for (const [glob, opts] of Object.entries(tools)) {
    if (tool === undefined || !globMatches(glob, tool)) continue;
    matched = true;
    merged.commandArgs.push(...opts.commandArgs);
    merged.queryArgs.push(...opts.queryArgs);
    merged.urlArgs.push(...opts.urlArgs);
  }
  if (matched) return merged;
  return { commandArgs: [...DEFAULT_TOOL_OPTIONS.commandArgs], queryArgs: [...DEFAULT_TOOL_OPTIONS.queryArgs], urlArgs: [] };
}
