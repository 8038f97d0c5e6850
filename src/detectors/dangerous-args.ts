/**
 * Dangerous-arguments detector: inspects `tools/call` arguments on their way upstream (issue 4, "dangerous
 * arguments going upstream: SSRF targets …, shell/SQL injection shapes — applied to tools whose arguments are
 * commands or queries, configurable per tool, to avoid flagging legitimate `&&`").
 *
 * Contract: reads fields of role `argument`; an argument's name is its top-level key or its leaf key
 * (`arguments.command`, `arguments.opts.url`), matched against the tool's options from `policy.tools`
 * (given to `createDangerousArgsDetector` by the root). Rules, one finding per
 * rule per field (the most severe shape wins), never a `replacement` — these findings block or alert:
 * - `dangerous-args/ssrf-metadata` critical: a cloud metadata endpoint, as a URL value, a URL inside any argument or a
 *   bare host token of a command; `dangerous-args/ssrf-private` high: loopback/private/link-local targets, only for
 *   whole-value URLs and `urlArgs` (a document mentioning `http://localhost:3000` is not a request);
 * - `dangerous-args/shell-injection` (medium chaining, high substitution or system redirects): `commandArgs` only;
 * - `dangerous-args/shell-payload` high: reverse shells, download-and-execute, destructive commands, anywhere;
 * - `dangerous-args/sql-injection`: `queryArgs` only;
 * - `dangerous-args/path-traversal` high (medium for deep traversal without a known target): any argument.
 * Host decisions come from net-address.ts (parsed addresses, every encoding), not from string lists.
 */
import { severityRank } from '../core/index.js';
import type { DetectorContext, Field, LocalDetector, RawFinding } from '../pipeline/types.js';
import { toolOptionsFor, type ToolOptions, type ToolsPolicy } from '../pipeline/policy.js';
import { classifyUrl, looksLikeUrl, type HostVerdict } from './shapes/net-address.js';
import { findPathTargets } from './shapes/path-targets.js';
import { findShellOperators, findShellPayloads } from './shapes/shell-shapes.js';
import { findSqlShapes } from './shapes/sql-shapes.js';

type Candidate = Omit<RawFinding, 'path'>;

/** Named segments of a field path, without the leading `arguments`: `arguments.opts["x-y"][0]` → opts, x-y. */
function argumentNames(path: string): string[] {
  const names: string[] = [];
  for (const m of path.matchAll(/(?:^|\.)([A-Za-z_$][\w$]*)|\["((?:[^"\\]|\\.)*)"\]/g)) {
    const quoted = m[2];
    names.push(m[1] ?? (quoted === undefined ? '' : (JSON.parse(`"${quoted}"`) as string)));
  }
  if (names[0] === 'arguments') names.shift();
  return names;
}

/** The raw value and, when different, the normalised text (decoded escapes, folded look-alikes). */
function views(field: Field): string[] {
  return field.text !== field.raw && field.text !== '' ? [field.raw, field.text] : [field.raw];
}

/** URLs written inside a longer text: `scheme://` up to whitespace or a quote, at most 64 per value. */
function embeddedUrls(value: string): string[] {
  const urls: string[] = [];
  for (let at = value.indexOf('://'); at !== -1 && urls.length < 64; at = value.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && at - start < 32 && /[A-Za-z0-9+.-]/.test(value[start - 1] ?? '')) start -= 1;
    const rest = /^[^\s"'`<>]{1,4096}/.exec(value.slice(at + 3));
    if (start < at && rest !== null) urls.push(value.slice(start, at + 3) + rest[0]);
  }
  return urls;
}

/** Command tokens that may name a host without a scheme (`169.254.169.254/latest`, `0xa9fea9fe`). */
function hostTokens(value: string): string[] {
  return value
    .split(/[\s"'`=]+/)
    .filter((t) => t.length > 0 && t.length < 300 && !t.includes('://') && /^[\w.[\]:%-]+(?:[/?#].*)?$/.test(t));
}

function ssrfCandidate(verdict: HostVerdict, match: string, privateCounts: boolean): Candidate | undefined {
  const where = verdict.address !== undefined && verdict.address !== verdict.host ? ` (${verdict.address})` : '';
  if (verdict.kind === 'metadata') {
    const reason = `request to a cloud metadata endpoint ${verdict.host}${where}`;
    return { rule: 'dangerous-args/ssrf-metadata', severity: 'critical', reason, match };
  }
  if (privateCounts && (verdict.kind === 'loopback' || verdict.kind === 'private')) {
    const reason = `request to a ${verdict.kind} address ${verdict.host}${where} (${verdict.range})`;
    return { rule: 'dangerous-args/ssrf-private', severity: 'high', reason, match };
  }
  return undefined;
}

function ssrfCandidates(value: string, urlArg: boolean, commandArg: boolean): Candidate[] {
  const out: Candidate[] = [];
  const add = (target: string, bare: boolean, privateCounts: boolean): void => {
    const verdict = classifyUrl(target, bare);
    const c = verdict === undefined ? undefined : ssrfCandidate(verdict, target, privateCounts);
    if (c !== undefined) out.push(c);
  };
  const whole = value.trim();
  if (urlArg || looksLikeUrl(whole)) add(whole, urlArg, true);
  for (const url of embeddedUrls(value)) add(url, false, false);
  if (commandArg) for (const token of hostTokens(value)) add(token, true, false);
  return out;
}

function shellCandidates(raw: string, views: readonly string[], commandArg: boolean): Candidate[] {
  const payloads = views.flatMap(findShellPayloads);
  if (payloads.length > 0) {
    return payloads.map((p) => ({ rule: 'dangerous-args/shell-payload', severity: 'high', reason: p.reason, match: p.match }));
  }
  if (!commandArg) return [];
  return findShellOperators(raw).map((s) => ({
    rule: 'dangerous-args/shell-injection',
    severity: s.severity,
    reason: s.reason,
    match: raw.slice(s.index, s.index + 80),
  }));
}

function fieldCandidates(field: Field, options: ToolOptions): Candidate[] {
  const names = argumentNames(field.path);
  const listed = (list: readonly string[]): boolean => names.some((n) => list.includes(n));
  const commandArg = listed(options.commandArgs);
  const urlArg = listed(options.urlArgs);
  const texts = views(field);
  const out: Candidate[] = texts.flatMap((v) => ssrfCandidates(v, urlArg, commandArg));
  out.push(...shellCandidates(field.raw, texts, commandArg));
  if (listed(options.queryArgs)) {
    out.push(...findSqlShapes(field.raw).map((s) => ({ rule: 'dangerous-args/sql-injection', ...s })));
  }
  const paths = texts.flatMap((v) => findPathTargets(v, commandArg));
  out.push(...paths.map((p) => ({ rule: 'dangerous-args/path-traversal', ...p })));
  return out;
}

/** One finding per rule: the most severe candidate, the first one on ties. */
function strongestPerRule(candidates: readonly Candidate[], path: string): RawFinding[] {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const current = best.get(c.rule);
    if (current === undefined || severityRank(c.severity) > severityRank(current.severity)) best.set(c.rule, c);
  }
  return [...best.values()].map((c) => ({ ...c, path }));
}

/** Tool names whose options are remembered (the catalog's, in practice); past it the memo starts over. */
const MEMO_TOOLS = 1024;

/** Built once by the root with `policy.tools`; default: the common command and query argument names. */
export function createDangerousArgsDetector(tools: ToolsPolicy = {}): LocalDetector {
  const memo = new Map<string | undefined, ToolOptions>();
  const optionsFor = (tool: string | undefined): ToolOptions => {
    let options = memo.get(tool);
    if (options) return options;
    if (memo.size >= MEMO_TOOLS) memo.clear();
    options = toolOptionsFor(tools, tool);
    memo.set(tool, options);
    return options;
  };
  return {
    id: 'dangerous-args',
    phase: 'call',
    methods: ['tools/call'],
    directions: ['to_upstream'],
    inspect(ctx: DetectorContext): RawFinding[] {
      const options = optionsFor(ctx.envelope.tool);
      return ctx.fields
        .filter((field) => field.role === 'argument')
        .flatMap((field) => strongestPerRule(fieldCandidates(field, options), field.path));
    },
  };
}

export const dangerousArgsDetector = createDangerousArgsDetector();
