/**
 * The load-time check of policy keys against what the detectors can do (issue 12: "`redact` on a rule
 * without a replacement is a config-time error or warning, never a silent block"). At run time an action
 * a finding cannot carry falls back (redact -> strip -> block, strip -> redact -> block, policy.ts); this
 * check says so when the config is loaded, with the YAML path of the key:
 * - an error when nothing the key names can take the action (`model-instructions: redact`,
 *   `secrets/jwt: strip`);
 * - a warning when only some of it can (`*: redact`, `hidden-content: strip`) or when the action falls back
 *   to the other rewrite (`hidden-content/html-comment: redact` strips);
 * - a warning for a key whose detector does not exist (a typo would otherwise match nothing, silently);
 * - an error for a `policy.detectors` id that names no detector (its fail mode and timeout would
 *   otherwise be ignored, and a judge meant to fail open would keep failing closed).
 * The detectors arrive as a parameter (the composition root passes the built-in list), so this layer
 * still never imports the one above it.
 */
import type { ConfigIssue } from '../config/errors.js';
import type { PolicyConfig } from '../config/schema.js';
import { globMatches, type Action } from '../core/index.js';
import { suggestKey } from '../config/key-suggestions.js';
import type { Detector } from './types.js';

type Rewrite = 'redact' | 'strip';
const WHAT: Record<Rewrite, string> = { redact: 'carries a replacement', strip: 'has spans to strip' };
const OTHER: Record<Rewrite, Rewrite> = { redact: 'strip', strip: 'redact' };
/** Rule prefixes the pipeline itself reports (detector failures; a message too deep to inspect). */
const BUILT_IN_SOURCES: ReadonlySet<string> = new Set(['pipeline', 'inspection']);

interface Catalogue {
  ids: readonly string[];
  byId: ReadonlyMap<string, Detector>;
}

function rulesFor(catalogue: Catalogue, action: Rewrite, key: string): string[] {
  const out: string[] = [];
  for (const detector of catalogue.byId.values()) {
    for (const rule of detector.capabilities?.[action] ?? []) {
      if (rule === key || rule.startsWith(`${key}/`) || globMatches(key, rule)) out.push(rule);
    }
  }
  return out;
}

/** True when every rule the key can name takes the action: an exact capable rule, or a whole complete detector. */
function fullyServed(catalogue: Catalogue, action: Rewrite, key: string, capable: readonly string[]): boolean {
  if (capable.includes(key)) return true;
  const detectorPart = key.endsWith('/*') ? key.slice(0, -2) : key;
  return !/[*?/]/.test(detectorPart) && catalogue.byId.get(detectorPart)?.capabilities?.complete === action;
}

function rewriteIssue(catalogue: Catalogue, path: readonly PropertyKey[], key: string, action: Rewrite): ConfigIssue | undefined {
  const capable = rulesFor(catalogue, action, key);
  if (fullyServed(catalogue, action, key, capable)) return undefined;
  const other = OTHER[action];
  const fallback = rulesFor(catalogue, other, key);
  const done = action === 'redact' ? 'redacted' : 'stripped';
  const otherDone = other === 'redact' ? 'redacted' : 'stripped';
  if (capable.length === 0 && fallback.length === 0) {
    return { path, level: 'error', message: `no rule under "${key}" ${WHAT[action]}, so it cannot be ${done}; use alert or block` };
  }
  if (capable.length === 0) {
    return { path, level: 'warning', message: `no rule under "${key}" ${WHAT[action]}: ${list(fallback)} will be ${otherDone} instead, anything else blocked` };
  }
  const others = fallback.length > 0 ? `${otherDone} where they can be (${list(fallback)}), otherwise blocked` : 'blocked';
  return { path, level: 'warning', message: `only ${list(capable)} can be ${done}; other rules under "${key}" are ${others}` };
}

function list(rules: readonly string[]): string {
  return rules.length <= 3 ? rules.join(', ') : `${rules.slice(0, 3).join(', ')} and ${rules.length - 3} more`;
}

function keyIssues(catalogue: Catalogue, path: readonly PropertyKey[], key: string, action: Action): ConfigIssue[] {
  if (!/[*?]/.test(key)) {
    const detector = key.split('/')[0] ?? key;
    if (!catalogue.byId.has(detector) && !BUILT_IN_SOURCES.has(detector)) {
      const hint = suggestKey(detector, catalogue.ids);
      return [{ path, level: 'warning', message: `no detector "${detector}"${hint ? ` (did you mean "${hint}"?)` : ''}; this key matches no finding` }];
    }
  }
  if (action !== 'redact' && action !== 'strip') return [];
  const issue = rewriteIssue(catalogue, path, key, action);
  return issue ? [issue] : [];
}

function ruleMaps(policy: PolicyConfig): { path: PropertyKey[]; rules: Readonly<Record<string, Action>> }[] {
  const maps: { path: PropertyKey[]; rules: Readonly<Record<string, Action>> }[] = [{ path: ['policy', 'rules'], rules: policy.rules }];
  for (const [dir, scope] of Object.entries(policy.directions)) if (scope) maps.push({ path: ['policy', 'directions', dir, 'rules'], rules: scope.rules });
  for (const [name, up] of Object.entries(policy.upstreams)) {
    maps.push({ path: ['policy', 'upstreams', name, 'rules'], rules: up.rules });
    for (const [dir, scope] of Object.entries(up.directions)) if (scope) maps.push({ path: ['policy', 'upstreams', name, 'directions', dir, 'rules'], rules: scope.rules });
  }
  return maps;
}

/** `policy.detectors` ids that name no detector that will run. */
function settingsIssues(catalogue: Catalogue, policy: PolicyConfig): ConfigIssue[] {
  return Object.keys(policy.detectors).flatMap((id): ConfigIssue[] => {
    if (catalogue.byId.has(id)) return [];
    const hint = suggestKey(id, catalogue.ids);
    return [{ path: ['policy', 'detectors', id], level: 'error', at: 'key', message: `no detector "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}; detectors are ${catalogue.ids.join(', ')}` }];
  });
}

/** Every issue of the policy's rule keys and detector settings, given the detectors that will run. */
export function checkPolicy(policy: PolicyConfig, detectors: readonly Detector[]): ConfigIssue[] {
  const catalogue: Catalogue = { ids: detectors.map((d) => d.id), byId: new Map(detectors.map((d) => [d.id, d])) };
  const keys = ruleMaps(policy).flatMap(({ path, rules }) => Object.entries(rules).flatMap(([key, action]) => keyIssues(catalogue, [...path, key], key, action)));
  return [...keys, ...settingsIssues(catalogue, policy)];
}
