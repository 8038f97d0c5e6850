/**
 * Keeps pattern matching linear and cheap on large texts (issue 4: a 1 MiB result in milliseconds).
 * A pattern may name trigger literals, lower-case strings that every match contains. On a large text,
 * one combined scan of the lower-cased text finds the triggers, and the full pattern only runs in a
 * window around each hit instead of at every position of the text. Small texts are scanned directly.
 * A match is bounded in length (all quantifiers are), so a window of REACH characters around the
 * trigger contains every match that uses it.
 */

export interface Triggered {
  re: RegExp;
  triggers?: readonly string[];
}

/** Below this size the full regular expressions are cheap enough. */
export const SMALL_TEXT = 8192;
const REACH_BEFORE = 320;
const REACH_AFTER = 480;

export interface TriggerSet<P extends Triggered> {
  combined: RegExp;
  byTrigger: ReadonlyMap<string, readonly P[]>;
}

export function compileTriggers<P extends Triggered>(patterns: readonly P[]): TriggerSet<P> {
  const byTrigger = new Map<string, P[]>();
  for (const p of patterns) for (const t of p.triggers ?? []) byTrigger.set(t, [...(byTrigger.get(t) ?? []), p]);
  const words = [...byTrigger.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { combined: new RegExp(words.length ? words.join('|') : '(?!)', 'g'), byTrigger };
}

/** Character ranges of `text` each pattern must be run on; patterns without triggers get the whole text. */
export function windowsFor<P extends Triggered>(text: string, set: TriggerSet<P>, patterns: readonly P[]): Map<P, [number, number][]> {
  const out = new Map<P, [number, number][]>();
  for (const p of patterns) out.set(p, p.triggers && text.length > SMALL_TEXT ? [] : [[0, text.length]]);
  if (text.length <= SMALL_TEXT) return out;
  const lower = text.toLowerCase();
  set.combined.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = set.combined.exec(lower)) !== null) {
    for (const p of set.byTrigger.get(m[0]) ?? []) {
      const list = out.get(p);
      if (!list) continue;
      const from = Math.max(0, m.index - REACH_BEFORE);
      const to = Math.min(text.length, m.index + m[0].length + REACH_AFTER);
      const last = list[list.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else list.push([from, to]);
    }
  }
  set.combined.lastIndex = 0;
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
