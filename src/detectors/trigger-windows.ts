/**
 * Keeps pattern matching linear and cheap on large texts (issue 4: a 1 MiB result in under 20 ms).
 * A pattern may name trigger literals, lower-case strings that every match contains. On a large text
 * one scan finds every literal of the shared vocabulary (trigger-vocabulary.ts) at every position, and
 * each pattern only runs in a window around the hits of its own triggers instead of over the whole
 * text. The scan is shared: detectors reach it through `ctx.shared`, so the text detectors together
 * pay for one pass per text, not one each. Small texts are scanned directly.
 * A match is bounded in length (all quantifiers are), so a window of REACH characters around the
 * trigger contains every match that uses it.
 */
import type { DetectorContext } from '../pipeline/types.js';
import { TRIGGER_VOCABULARY } from './trigger-vocabulary.js';

export interface Triggered {
  re: RegExp;
  triggers?: readonly string[];
}

/** Below this size the full regular expressions are cheap enough. */
export const SMALL_TEXT = 8192;
const REACH_BEFORE = 320;
const REACH_AFTER = 480;

/** Where vocabulary literals start in one text: parallel arrays of positions and the longest literal there. */
export interface TriggerScan {
  at: readonly number[];
  word: readonly string[];
}

/** Patterns by vocabulary literal: a literal feeds every pattern whose trigger is a prefix of it. */
export interface TriggerSet<P extends Triggered> {
  byWord: ReadonlyMap<string, readonly P[]>;
}

const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A lookahead so overlapping literals are all seen; longest first, so the longest literal at a position wins. */
const VOCABULARY_SOURCE = `(?=(${[...TRIGGER_VOCABULARY].sort((a, b) => b.length - a.length).map(escape).join('|')}))`;
const SCANS_KEY: object = Object.freeze({ scans: 'trigger-windows' });

export function compileTriggers<P extends Triggered>(patterns: readonly P[]): TriggerSet<P> {
  const byWord = new Map<string, P[]>();
  for (const p of patterns) {
    for (const t of p.triggers ?? []) {
      if (!TRIGGER_VOCABULARY.includes(t)) throw new Error(`trigger "${t}" is not in the trigger vocabulary`);
      for (const word of TRIGGER_VOCABULARY) if (word.startsWith(t)) byWord.set(word, [...(byWord.get(word) ?? []), p]);
    }
  }
  return { byWord };
}

/** One pass over the lower-cased text for every vocabulary literal. */
export function scanTriggers(text: string): TriggerScan {
  const lower = text.toLowerCase();
  const re = new RegExp(VOCABULARY_SOURCE, 'g');
  const at: number[] = [];
  const word: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(lower)) !== null) {
    at.push(m.index);
    word.push(m[1] ?? '');
    re.lastIndex = m.index + 1;
  }
  return { at, word };
}

/** The scan of a large text, computed once per inspection and shared by every detector that asks. */
export function sharedScan(ctx: DetectorContext, text: string): TriggerScan | undefined {
  if (text.length <= SMALL_TEXT) return undefined;
  const scans = ctx.shared ? ctx.shared(SCANS_KEY, () => new Map<string, TriggerScan>()) : new Map<string, TriggerScan>();
  let scan = scans.get(text);
  if (scan === undefined) {
    scan = scanTriggers(text);
    scans.set(text, scan);
  }
  return scan;
}

/** Character ranges of `text` each pattern must be run on; patterns without triggers get the whole text. */
export function windowsFor<P extends Triggered>(text: string, set: TriggerSet<P>, patterns: readonly P[], scan: TriggerScan | undefined): Map<P, [number, number][]> {
  const out = new Map<P, [number, number][]>();
  for (const p of patterns) out.set(p, p.triggers && scan ? [] : [[0, text.length]]);
  if (!scan) return out;
  for (let i = 0; i < scan.at.length; i++) {
    const index = scan.at[i] ?? 0;
    const word = scan.word[i] ?? '';
    for (const p of set.byWord.get(word) ?? []) {
      const list = out.get(p);
      if (!list) continue;
      const from = Math.max(0, index - REACH_BEFORE);
      const to = Math.min(text.length, index + word.length + REACH_AFTER);
      const last = list[list.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else list.push([from, to]);
    }
  }
  return out;
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
