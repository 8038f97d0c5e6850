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
import type { DetectorContext } from '../pipeline/types.js';
import { TRIGGER_VOCABULARY } from './trigger-vocabulary.js';
import { asciiBytes, compileLiterals, scanLongest, sharedBytes } from './literal-scan.js';

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

/** Where vocabulary literals start (ASCII case folded): parallel arrays of positions and the longest literal there. */
export interface TriggerScan {
  at: readonly number[];
  word: readonly string[];
}

/** Patterns by vocabulary literal: a literal feeds every pattern whose trigger (or required literal) is a prefix of it. */
export interface TriggerSet<P extends Triggered> {
  byWord: ReadonlyMap<string, readonly P[]>;
  requiredBy: ReadonlyMap<string, readonly P[]>;
}

const VOCABULARY_TABLE = compileLiterals(TRIGGER_VOCABULARY);
const SCANS_KEY: object = Object.freeze({ scans: 'trigger-windows' });

function byVocabularyWord<P extends Triggered>(patterns: readonly P[], literals: (p: P) => readonly string[] | undefined): Map<string, P[]> {
  const byWord = new Map<string, P[]>();
  for (const p of patterns) {
    for (const t of literals(p) ?? []) {
      if (!TRIGGER_VOCABULARY.includes(t)) throw new Error(`trigger "${t}" is not in the trigger vocabulary`);
      for (const word of TRIGGER_VOCABULARY) if (word.startsWith(t)) byWord.set(word, [...(byWord.get(word) ?? []), p]);
    }
  }
  return byWord;
}

export function compileTriggers<P extends Triggered>(patterns: readonly P[]): TriggerSet<P> {
  return { byWord: byVocabularyWord(patterns, (p) => p.triggers), requiredBy: byVocabularyWord(patterns, (p) => p.requires) };
}

/**
 * One pass over the lower-cased text for every vocabulary literal (see literal-scan.ts). `bytesOf` gives
 * `asciiBytes` of a text, shared when another detector already converted the same string.
 */
export function scanTriggers(text: string, bytesOf: (text: string) => Uint8Array = asciiBytes): TriggerScan {
  const found = scanLongest(bytesOf(text), VOCABULARY_TABLE);
  return { at: found.at, word: found.word.map((i) => TRIGGER_VOCABULARY[i] ?? '') };
}

/** The scan of a large text, computed once per inspection and shared by every detector that asks. */
export function sharedScan(ctx: DetectorContext, text: string): TriggerScan | undefined {
  if (text.length <= SMALL_TEXT) return undefined;
  const scans = ctx.shared ? ctx.shared(SCANS_KEY, () => new Map<string, TriggerScan>()) : new Map<string, TriggerScan>();
  let scan = scans.get(text);
  if (scan === undefined) {
    scan = scanTriggers(text, (t) => sharedBytes(ctx, t));
    scans.set(text, scan);
  }
  return scan;
}

/** Character ranges of `text` each pattern must be run on; patterns without triggers get the whole text. */
export function windowsFor<P extends Triggered>(text: string, set: TriggerSet<P>, patterns: readonly P[], scan: TriggerScan | undefined): Map<P, [number, number][]> {
  const out = new Map<P, [number, number][]>();
  for (const p of patterns) out.set(p, p.triggers && scan ? [] : [[0, text.length]]);
  if (!scan) return out;
  addWindows(out, set.byWord, text.length, scan);
  if (set.requiredBy.size > 0) applyRequired(out, set, text.length, scan);
  return out;
}

/** Adds a window around every hit of a literal `byWord` maps to a pattern, merging overlapping ones. */
function addWindows<P>(out: Map<P, [number, number][]>, byWord: ReadonlyMap<string, readonly P[]>, length: number, scan: TriggerScan): void {
  for (let i = 0; i < scan.at.length; i++) {
    const index = scan.at[i] ?? 0;
    const word = scan.word[i] ?? '';
    for (const p of byWord.get(word) ?? []) {
      const list = out.get(p);
      if (!list) continue;
      const from = Math.max(0, index - REACH_BEFORE);
      const to = Math.min(length, index + word.length + REACH_AFTER);
      const last = list[list.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else list.push([from, to]);
    }
  }
}

/** Narrows the windows of patterns with `requires` (see the module comment). */
function applyRequired<P extends Triggered>(out: Map<P, [number, number][]>, set: TriggerSet<P>, length: number, scan: TriggerScan): void {
  const around = new Map<P, [number, number][]>();
  const hits = new Map<P, number[]>();
  for (const p of out.keys()) {
    if (p.requires === undefined) continue;
    around.set(p, []);
    hits.set(p, []);
  }
  addWindows(around, set.requiredBy, length, scan);
  for (let i = 0; i < scan.at.length; i++) {
    for (const p of set.requiredBy.get(scan.word[i] ?? '') ?? []) hits.get(p)?.push(scan.at[i] ?? 0);
  }
  for (const [p, at] of hits) {
    if (at.length === 0) out.set(p, []);
    else if (p.triggers === undefined) out.set(p, around.get(p) ?? []);
    else out.set(p, windowsHolding(out.get(p) ?? [], at));
  }
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
