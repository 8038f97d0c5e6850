/**
 * What the text detectors iterate over: every field's normalised text and each hidden payload decoded
 * by the normaliser, flagged as hidden so a detector can raise the severity of what was smuggled.
 * Matching helpers here bound every scan (at most `limit` matches per pattern and field) so a hostile
 * 1 MiB result cannot make a detector quadratic.
 */
import { LIST_METHODS, SEVERITIES, type Severity } from '../../core/index.js';
import type { DetectorContext, Field, FieldRole, RawFinding } from '../../pipeline/types.js';
import { compileTriggers, gatedPatterns, matchInWindows, sharedScan, SMALL_TEXT, windowsFor, type TriggerSet } from './trigger-windows.js';
import type { Pattern } from './pattern.js';

export type { Pattern };

export interface TextView {
  field: Field;
  text: string;
  hidden: boolean;
}

const VIEWS_KEY: object = Object.freeze({ views: 'text-views' });

/**
 * The prose views of the context's fields, built once per inspection and field list and shared by the
 * text detectors (issue 12, Speed: a `structuredContent` of 9 000 strings built 9 000 views in each).
 * Views are read, never changed.
 */
export function proseViews(ctx: DetectorContext): readonly TextView[] {
  if (!ctx.shared) return textViews(ctx.fields);
  const byFields = ctx.shared(VIEWS_KEY, () => new WeakMap<readonly Field[], TextView[]>());
  let views = byFields.get(ctx.fields);
  if (views === undefined) {
    views = textViews(ctx.fields);
    byFields.set(ctx.fields, views);
  }
  return views;
}

export function textViews(fields: readonly Field[], roles: readonly FieldRole[] = ['prose']): TextView[] {
  const out: TextView[] = [];
  for (const field of fields) {
    if (!roles.includes(field.role)) continue;
    out.push({ field, text: field.text, hidden: false });
    for (const h of field.hidden) out.push({ field, text: h, hidden: true });
  }
  return out;
}

/** Up to `limit` matches of a global regular expression. */
export function matchAll(re: RegExp, text: string, limit = 8): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (out.length < limit && (m = re.exec(text)) !== null) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  re.lastIndex = 0;
  return out;
}

export function clip(s: string, max = 200): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

const ORDER = SEVERITIES;

/** One step up (hidden text is worse than the same text shown openly), capped at critical. */
export function raise(s: Severity): Severity {
  return ORDER[Math.min(ORDER.indexOf(s) + 1, ORDER.length - 1)] ?? 'critical';
}


/** Keeps the most severe finding per rule and path: one `<IMPORTANT>` block is one finding, not two. */
export function strongestPerRule(findings: readonly RawFinding[]): RawFinding[] {
  if (findings.length < 2) return [...findings];
  const best = new Map<string, RawFinding>();
  for (const f of findings) {
    const key = `${f.rule}\u0000${f.path}`;
    const prev = best.get(key);
    if (!prev || ORDER.indexOf(f.severity) > ORDER.indexOf(prev.severity)) best.set(key, f);
  }
  return [...best.values()];
}

const MENTION_CUE =
  /\b(?:such\s{1,3}as|e\.g\.|i\.e\.|for\s{1,3}(?:example|instance)|like|phrases?|patterns?|known\s{1,3}as|detects?|detection|classif\w{0,8}|flags?|attempts?\s{1,3}to|tries\s{1,3}to|trying\s{1,3}to|designed\s{1,3}to|strings?|examples?|quot\w{1,4})\b[^\n]{0,60}$|\b(?:that|which|who|to|can|could|may|might|would|often|not)\s{1,3}$/i;
/**
 * Security prose (issue 12, false positives): a sentence whose subject is the attacker or the attack
 * ("Attackers may try to make the model ignore previous instructions", "a prompt injection can tell the
 * agent to …"), or that defends against it ("to prevent tools from exfiltrating data"), describes the
 * shape instead of performing it. Bounded to the sentence, so an injection cannot borrow a cue from an
 * earlier sentence (a soft line break inside the sentence does not end it).
 */
const ATTACK_PROSE_CUE =
  /\b(?:attackers?|adversar(?:y|ies)|threat\s{1,3}actors?|bad\s{1,3}actors?|hackers?|malicious\s{1,3}(?:actors?|users?|parties|party|servers?|tools?|content|inputs?|prompts?|instructions?|documents?|pages?|websites?|sites?)|(?:prompt\s{1,3})?injections?|jailbreaks?|exploits?|poisoned\s{1,3}\w{1,20}|prevent\w{0,4}|mitigat\w{0,6}|(?:protect|defend|guard)\w{0,4}\s{1,3}against)\b[^.!?]{0,80}$/i;
/** A cue right before the phrase, also across a soft line break ("is not\nleaked to …"). */
/** "called" and "named" introduce a name only right before it ("a phrase called \"ignore …\""); further back it is a call. */
const IMMEDIATE_CUE = /\b(?:that|which|who|to|can|could|may|might|would|often|not|whether|called|named)\s{1,3}["'\u201c\u2018]?$/i;

/**
 * Text that talks about an attack rather than performing it: a phrase introduced by "such as",
 * "attempts to", "that", or quoted as a code literal (`("...")`, `= "..."`, backticks). Security docs and
 * classifier READMEs quote injections; reporting them at full severity would block the documentation.
 */
export function isMention(text: string, index: number, length: number): boolean {
  const before = text.slice(Math.max(0, index - 80), index);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  if (MENTION_CUE.test(line) || IMMEDIATE_CUE.test(before) || ATTACK_PROSE_CUE.test(before)) return true;
  const q = before.slice(-1);
  if (q === '`') return text.indexOf('`', index + length) > 0;
  if ((q === '"' || q === "'") && /[([=,]\s{0,2}$/.test(before.slice(0, -1))) return true;
  return false;
}

/** A compiled pattern table: the patterns plus their combined trigger scan (see trigger-windows.ts). */
export interface PatternTable {
  patterns: readonly Pattern[];
  triggers: TriggerSet<Pattern>;
  /** The patterns naming no trigger or required literal: all that can match a text holding no vocabulary literal. */
  ungated: readonly Pattern[];
}

export function compileTable(patterns: readonly Pattern[]): PatternTable {
  return { patterns, triggers: compileTriggers(patterns), ungated: patterns.filter((p) => p.triggers === undefined && p.requires === undefined) };
}

/** Whether a pattern's `scope` lets it count in this view (see pattern.ts). */
function inScope(p: Pattern, listing: boolean, hidden: boolean): boolean {
  if (p.scope === 'hidden') return hidden;
  if (p.scope === 'listing') return listing || hidden;
  return true;
}

/**
 * Runs a pattern table over the views; hidden views report one severity higher. A small text runs only
 * the patterns whose literals it holds, on the whole text (without building a window per pattern: issue
 * 12, Speed); a large one runs each pattern in its trigger windows.
 */
export function scanPatterns(ctx: DetectorContext, views: readonly TextView[], table: PatternTable): RawFinding[] {
  const out: RawFinding[] = [];
  const listing = LIST_METHODS.has(ctx.envelope.method);
  for (const view of views) {
    const scan = sharedScan(ctx, view.text);
    if (view.text.length <= SMALL_TEXT) {
      const whole: [number, number][] = [[0, view.text.length]];
      const run = scan.word.length === 0 ? table.ungated : gatedPatterns(table.triggers, table.patterns, scan);
      for (const p of run) matchPattern(out, p, view, listing, whole);
      continue;
    }
    const windows = windowsFor(view.text, table.triggers, table.patterns, scan);
    for (const p of table.patterns) matchPattern(out, p, view, listing, windows.get(p) ?? []);
  }
  return strongestPerRule(out);
}

function matchPattern(out: RawFinding[], p: Pattern, view: TextView, listing: boolean, windows: readonly [number, number][]): void {
  if (!inScope(p, listing, view.hidden)) return;
  if (p.prefilter && !p.prefilter.some((literal) => view.text.includes(literal))) return;
  for (const m of matchInWindows(p.re, view.text, windows, 3)) {
    const mention = !view.hidden && !p.quotedToo && isMention(view.text, m.index, m[0].length);
    const severity = view.hidden ? raise(p.severity) : mention ? 'medium' : p.severity;
    const reason = view.hidden ? `${p.reason} (in hidden text)` : mention ? `${p.reason} (quoted or described, not addressed)` : p.reason;
    out.push({ rule: p.rule, severity, path: view.field.path, reason, match: clip(m[0]) });
  }
}
