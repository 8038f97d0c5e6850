/**
 * Policy: what happens to a finding (issue 4, "Policy"). Actions are looked up from the most specific
 * scope to the least: upstream+direction, upstream, direction, global rules; inside one scope an exact
 * rule id beats its detector id, which beats the longest glob. Unlisted rules follow the severity
 * defaults: critical -> block, high -> redact when the finding carries a replacement else block,
 * medium and below -> alert. `mode: monitor` turns every action into alert.
 */
import type { Action, Direction, Envelope, Severity } from '../core/index.js';
import type { PolicyConfig } from '../config/schema.js';
import { PolicySchema } from '../config/schema.js';
import type { RawFinding } from './types.js';
import { globMatches } from './glob-match.js';

export type { PolicyConfig };

export const DEFAULT_POLICY: PolicyConfig = PolicySchema.parse({});

type RuleMap = Readonly<Record<string, Action>>;

export function defaultAction(severity: Severity, redactable: boolean): Action {
  if (severity === 'critical') return 'block';
  if (severity === 'high') return redactable ? 'redact' : 'block';
  return 'alert';
}

/** Best key of one rule map for a rule id: exact, then detector id, then the longest matching glob. */
function lookup(map: RuleMap | undefined, rule: string): Action | undefined {
  if (!map) return undefined;
  const exact = map[rule];
  if (exact) return exact;
  const detector = map[rule.split('/')[0] ?? rule];
  if (detector) return detector;
  let best: { len: number; action: Action } | undefined;
  for (const [key, action] of Object.entries(map)) {
    if (key.length > (best?.len ?? -1) && /[*?]/.test(key) && globMatches(key, rule)) best = { len: key.length, action };
  }
  return best?.action;
}

function scopes(policy: PolicyConfig, upstream: string, direction: Direction): (RuleMap | undefined)[] {
  const up = policy.upstreams[upstream];
  return [up?.directions[direction]?.rules, up?.rules, policy.directions[direction]?.rules, policy.rules];
}

export function resolveAction(policy: PolicyConfig, envelope: Envelope, finding: RawFinding): Action {
  if (policy.mode === 'monitor') return 'alert';
  const redactable = finding.replacement !== undefined;
  let action: Action | undefined;
  for (const map of scopes(policy, envelope.upstream, envelope.direction)) {
    action = lookup(map, finding.rule);
    if (action) break;
  }
  const chosen = action ?? defaultAction(finding.severity, redactable);
  // A redaction needs a replacement; without one the safe reading of "redact" is to block.
  return chosen === 'redact' && !redactable ? 'block' : chosen;
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
