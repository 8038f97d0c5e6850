/**
 * Keeps pattern matching linear and cheap on large texts (issue 4: a 1 MiB result in under 20 ms).
 * A pattern may name trigger literals, lower-case strings that every match contains. On a large text
 * one scan finds every literal of the shared vocabulary (trigger-vocabulary.ts) at every position, and
 * each pattern only runs in a window around the hits of its own triggers instead of over the whole
 * text. The scan is shared: detectors reach it through `ctx.shared`, so the text detectors together
 * pay for one pass per text, not one each. Small texts are scanned directly.
 * A match is bounded in length (all quantifiers are), so a window of REACH characters around the
 * trigger contains every match that uses it.
 * A pattern may also name `requires`: literals of which every match contains at least one. A pattern
 * with triggers skips its windows that hold none; a pattern without triggers runs in windows around
 * them (the same argument as for triggers: bounded matches, each holding one). Skipping text that
 * cannot hold a match keeps the results identical to running the pattern everywhere.
 * The scan folds ASCII case itself and never lower-cases the text: every triggered pattern is a
 * non-unicode regex, whose `i` flag never matches a non-ASCII character against an ASCII literal (ES
 * Canonicalize keeps such characters), so a match always holds its literal in ASCII letters
 * (issue 12, Speed: lower-casing a 1 MiB non-ASCII text cost ~7 ms).
 */
import type { DetectorContext } from '../../pipeline/types.js';
import { TRIGGER_VOCABULARY } from '../vocabulary/trigger-vocabulary.js';
import { compileLiterals, scanLongest, type LiteralHits } from './literal-scan.js';

export interface Triggered {
  re: RegExp;
  /** Lower-case literals every match contains; on large texts the pattern only runs near them. */
  triggers?: readonly string[];
  /** Lower-case literals of which every match contains one; where none occurs the pattern is skipped. */
  requires?: readonly string[];
}

/** Below this size the full regular expressions are cheap enough. */
export const SMALL_TEXT = 8192;
const REACH_BEFORE = 320;
const REACH_AFTER = 480;

/**
 * Where vocabulary literals start (ASCII case folded): parallel arrays of positions and the index (into
 * TRIGGER_VOCABULARY) of the longest literal there. Indexes, not strings: the window loops below run once
 * per hit, tens of thousands of times on trigger-dense prose (issue 12, Speed).
 */
export type TriggerScan = LiteralHits;

/** Patterns by vocabulary index: a literal feeds every pattern whose trigger (or required literal) is a prefix of it. */
export interface TriggerSet<P extends Triggered> {
  byWord: readonly (readonly P[])[];
  requiredBy: readonly (readonly P[])[];
  hasRequired: boolean;
  /** Every pattern names triggers or required literals. */
  allGated: boolean;
}

const VOCABULARY_TABLE = compileLiterals(TRIGGER_VOCABULARY);
const WORD_LENGTH: readonly number[] = TRIGGER_VOCABULARY.map((w) => w.length);
const SCANS_KEY: object = Object.freeze({ scans: 'trigger-windows' });

function byVocabularyWord<P extends Triggered>(patterns: readonly P[], literals: (p: P) => readonly string[] | undefined): P[][] {
  const byWord: P[][] = TRIGGER_VOCABULARY.map(() => []);
  for (const p of patterns) {
    for (const t of literals(p) ?? []) {
      if (!TRIGGER_VOCABULARY.includes(t)) throw new Error(`trigger "${t}" is not in the trigger vocabulary`);
      TRIGGER_VOCABULARY.forEach((word, k) => {
        if (word.startsWith(t) && !byWord[k]?.includes(p)) byWord[k]?.push(p);
      });
    }
  }
  return byWord;
}

export function compileTriggers<P extends Triggered>(patterns: readonly P[]): TriggerSet<P> {
  const requiredBy = byVocabularyWord(patterns, (p) => p.requires);
  const allGated = patterns.every((p) => p.triggers !== undefined || p.requires !== undefined);
  return { byWord: byVocabularyWord(patterns, (p) => p.triggers), requiredBy, hasRequired: requiredBy.some((l) => l.length > 0), allGated };
}

/**
 * False when no pattern of the set can match the scanned text: each names literals and the text holds
 * none (what `windowsFor` would say with empty windows, without building them: issue 12, Speed).
 */
export function mayMatch<P extends Triggered>(set: TriggerSet<P>, scan: TriggerScan): boolean {
  return !set.allGated || scan.at.length > 0;
}

/** One pass over the text for every vocabulary literal (see literal-scan.ts). */
export function scanTriggers(text: string): TriggerScan {
  return scanLongest(text, VOCABULARY_TABLE);
}

/**
 * The scan of a text, computed once per inspection and shared by every detector that asks (`windowsFor`
 * windows a large text by it and gates the patterns of a small one).
 */
export function sharedScan(ctx: DetectorContext, text: string): TriggerScan {
  const scans = ctx.shared ? ctx.shared(SCANS_KEY, () => new Map<string, TriggerScan>()) : new Map<string, TriggerScan>();
  let scan = scans.get(text);
  if (scan === undefined) {
    scan = scanTriggers(text);
    scans.set(text, scan);
  }
  return scan;
}

type Windows = [number, number][];

/** Per vocabulary index, the slots (positions in `patterns`) of the patterns `byWord` feeds. */
function slotsByWord<P>(byWord: readonly (readonly P[])[], patterns: readonly P[]): number[][] {
  return byWord.map((list) => list.map((p) => patterns.indexOf(p)).filter((k) => k >= 0));
}

/** Adds a window around every hit feeding a slot, merging overlapping ones (`lists[slot]` null: not collected). */
function addWindows(lists: (Windows | null)[], slots: readonly (readonly number[])[], length: number, scan: TriggerScan): void {
  const { at, word } = scan;
  for (let i = 0; i < at.length; i++) {
    const w = word[i] as number;
    const targets = slots[w] as readonly number[];
    if (targets.length === 0) continue;
    const index = at[i] as number;
    const from = Math.max(0, index - REACH_BEFORE);
    const to = Math.min(length, index + (WORD_LENGTH[w] as number) + REACH_AFTER);
    for (const slot of targets) {
      const list = lists[slot];
      if (!list) continue;
      const last = list[list.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else list.push([from, to]);
    }
  }
}

/**
 * Character ranges of `text` each pattern must be run on; patterns without triggers get the whole text.
 * On a small text (or without a scan), every pattern runs on the whole text, except that one whose triggers
 * (or required literals) do not occur in it at all is skipped (issue 12, Speed: a `structuredContent` of
 * 9 000 short strings ran every pattern of every table on each).
 */
export function windowsFor<P extends Triggered>(text: string, set: TriggerSet<P>, patterns: readonly P[], scan: TriggerScan | undefined): Map<P, Windows> {
  if (scan !== undefined && scan.word.length === 0) return withoutLiterals(text, patterns);
  if (scan === undefined || text.length <= SMALL_TEXT) return gatedWhole(text, set, patterns, scan ?? scanTriggers(text));
  const lists: (Windows | null)[] = patterns.map((p) => (p.triggers ? [] : null));
  addWindows(lists, slotsByWord(set.byWord, patterns), text.length, scan);
  if (set.hasRequired) applyRequired(lists, set, patterns, text.length, scan);
  return new Map(patterns.map((p, k) => [p, lists[k] ?? [[0, text.length]]]));
}

/**
 * A text holding no vocabulary literal, small or large: only patterns naming no literal run, on the whole
 * text (what both paths below give then, without their sets and lists: issue 12, Speed).
 */
function withoutLiterals<P extends Triggered>(text: string, patterns: readonly P[]): Map<P, Windows> {
  let whole: Windows | undefined;
  const out = new Map<P, Windows>();
  for (const p of patterns) out.set(p, p.triggers === undefined && p.requires === undefined ? (whole ??= [[0, text.length]]) : []);
  return out;
}

/** The whole text for each pattern whose triggers and required literals occur in it; none for the others. */
function gatedWhole<P extends Triggered>(text: string, set: TriggerSet<P>, patterns: readonly P[], scan: TriggerScan): Map<P, Windows> {
  const whole: Windows = [[0, text.length]];
  const run = new Set(gatedPatterns(set, patterns, scan));
  return new Map(patterns.map((p) => [p, run.has(p) ? whole : []]));
}

/**
 * The patterns, in order, that run on a small text (its whole text; `windowsFor` gives the same as a map):
 * those whose triggers and required literals occur in it. A text without any vocabulary literal keeps only
 * the patterns that name none (issue 12, Speed: most short fields of a `structuredContent` hold none).
 */
export function gatedPatterns<P extends Triggered>(set: TriggerSet<P>, patterns: readonly P[], scan: TriggerScan): readonly P[] {
  if (scan.word.length === 0) return patterns.filter((p) => p.triggers === undefined && p.requires === undefined);
  const triggered = new Set<P>();
  const required = new Set<P>();
  for (const w of scan.word) {
    for (const p of set.byWord[w] ?? []) triggered.add(p);
    for (const p of set.requiredBy[w] ?? []) required.add(p);
  }
  return patterns.filter((p) => (p.triggers === undefined || triggered.has(p)) && (p.requires === undefined || required.has(p)));
}

/** Narrows the windows of patterns with `requires` (see the module comment). */
function applyRequired<P extends Triggered>(lists: (Windows | null)[], set: TriggerSet<P>, patterns: readonly P[], length: number, scan: TriggerScan): void {
  const gated = patterns.map((p) => p.requires !== undefined);
  const around: (Windows | null)[] = gated.map((g) => (g ? [] : null));
  const slots = slotsByWord(set.requiredBy, patterns);
  addWindows(around, slots, length, scan);
  const hits: number[][] = patterns.map(() => []);
  for (let i = 0; i < scan.at.length; i++) {
    for (const slot of slots[scan.word[i] as number] as readonly number[]) hits[slot]?.push(scan.at[i] as number);
  }
  patterns.forEach((p, k) => {
    if (!gated[k]) return;
    const at = hits[k] ?? [];
    if (at.length === 0) lists[k] = [];
    else if (p.triggers === undefined) lists[k] = around[k] ?? [];
    else lists[k] = windowsHolding(lists[k] ?? [[0, length]], at);
  });
}

/** The windows that contain at least one of the sorted positions. */
function windowsHolding(windows: readonly [number, number][], at: readonly number[]): [number, number][] {
  const kept: [number, number][] = [];
  let k = 0;
  for (const w of windows) {
    while (k < at.length && (at[k] ?? 0) < w[0]) k++;
    if (k < at.length && (at[k] ?? 0) < w[1]) kept.push(w);
  }
  return kept;
}

/** Matches of a global pattern inside the given windows, with indexes into the whole text (at most `limit`). */
export function matchInWindows(re: RegExp, text: string, windows: readonly [number, number][], limit: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  for (const [from, to] of windows) {
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (out.length < limit && (m = re.exec(slice)) !== null) {
      if (m[0].length === 0) re.lastIndex++;
      m.index += from;
      out.push(m);
    }
    re.lastIndex = 0;
    if (out.length >= limit) break;
  }
  return out;
}
