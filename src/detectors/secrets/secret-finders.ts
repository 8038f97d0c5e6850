/**
 * How a secret shape is found in a raw text, for the tables in secret-patterns.ts and
 * secret-vendor-patterns.ts. Each pattern names the literals it hangs on (`anchors`); one shared scan of
 * the text finds every pattern's anchors at once (secret-patterns.ts compiles them), and a pattern then
 * only runs where its anchors are: vendor prefixes (`AKIA`, `ghp_`, `npm_`) gate or place their regex,
 * keywords (`password`, `key`, `://`) place a sticky regex exactly where a labelled secret could start.
 *
 * Why: each full scan of a 1 MiB result costs 0.2–5 ms here (case-insensitive keyword alternations the most)
 * and the whole pipeline has 20 ms (issues 4 and 12). Regexes use bounded quantifiers over character
 * classes that cannot overlap their neighbours, so matching stays linear. When a regex has a named group
 * `s`, only that group is the secret (the label before it stays visible).
 */
import type { Severity } from '../../core/index.js';
import { isPlaceholder } from './secret-values.js';

export interface Span {
  start: number;
  end: number;
}

/** An anchor occurrence found by the shared scan: its index in the raw text and the anchor, lower-cased. */
export interface AnchorHit {
  index: number;
  word: string;
}

/** The shared scan of one raw text: every hit in order, by anchor, and the set of anchors as written (case kept). */
export interface Anchors {
  hits: readonly AnchorHit[];
  /** Hits per anchor (lower case), in text order: a pattern visits only its own anchors' hits. */
  byWord: ReadonlyMap<string, readonly AnchorHit[]>;
  seen: ReadonlySet<string>;
}

/** The hits of the given anchors, in text order (one list, or several merged). */
export function hitsOf(anchors: Anchors, words: readonly string[]): readonly AnchorHit[] {
  const lists = words.map((w) => anchors.byWord.get(w)).filter((l): l is readonly AnchorHit[] => l !== undefined && l.length > 0);
  if (lists.length <= 1) return lists[0] ?? [];
  return lists.flat().sort((a, b) => a.index - b.index);
}

export interface SecretPattern {
  /** Rule `secrets/<kind>`, placeholder `[REDACTED:<kind>]`. */
  kind: string;
  severity: Severity;
  /** Short human description used in the finding's reason. */
  label: string;
  /** Lower-case ASCII literals (three or more characters) the shared scan must find for `find` to use. */
  anchors: readonly string[];
  /** `anchors` lazily returns the shared anchor scan of this raw text (computed once per field). */
  find(raw: string, anchors: () => Anchors): Span[];
}

/** Most matches one pattern reports per field; bounds the work on adversarial 1 MiB inputs. */
export const MAX_MATCHES = 1000;

/** Decides whether a shape match is a live secret; `m` gives the named groups and the text after the match. */
export type Accept = (secret: string, m: RegExpMatchArray, end: number) => boolean;

export const notPlaceholder: Accept = (secret) => !isPlaceholder(secret);

function spanOf(m: RegExpMatchArray): Span {
  const group = m.indices?.groups?.['s'];
  const index = m.index ?? 0;
  const [start, end] = group ?? [index, index + m[0].length];
  return { start, end };
}

/**
 * Every match of a global regex (`d` flag when it has a group `s`) that `accept` keeps. An `exec` loop on
 * the regex itself: `matchAll` clones the regex on every call, which cost ~1 µs per short field
 * (issue 12, Speed); `accept` never runs the same regex, so its `lastIndex` is ours until the reset.
 */
function allMatches(raw: string, regex: RegExp, accept: Accept): Span[] {
  const spans: Span[] = [];
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(raw)) !== null) {
    if (m[0].length === 0) regex.lastIndex++;
    const span = spanOf(m);
    if (accept(raw.slice(span.start, span.end), m, span.end)) spans.push(span);
    if (spans.length >= MAX_MATCHES) break;
  }
  regex.lastIndex = 0;
  return spans;
}

/**
 * A shape with no literal to hang on, run over the whole text: only for regexes that start with a rare literal or class (~0.4 ms per MiB).
 * `within`: a case-sensitive literal every match contains; a text without it is not scanned (issue 12, Speed:
 * the regex costs a start attempt at every position of each of thousands of short fields).
 */
export function byRegex(regex: RegExp, accept: Accept = () => true, within?: string): SecretPattern['find'] {
  if (!regex.global) throw new Error(`secret pattern ${regex.source} needs the g flag`);
  return (raw) => (within !== undefined && !raw.includes(within) ? [] : allMatches(raw, regex, accept));
}

/** A vendor-prefixed shape: a global regex run when one of the case-sensitive `hints` occurs at an anchor hit. */
export function byPrefix(hints: readonly string[], regex: RegExp, accept: Accept = () => true): SecretPattern['find'] {
  if (!regex.global) throw new Error(`secret pattern ${regex.source} needs the g flag`);
  return (raw, anchors) => {
    const { seen } = anchors();
    return hints.some((hint) => seen.has(hint)) ? allMatches(raw, regex, accept) : [];
  };
}

/**
 * A vendor-prefixed shape whose every match starts with one of the hints (right after a lookbehind that
 * rules out a word character before it): a sticky copy of the regex is tried only at the anchor hits where
 * a hint is written, which finds the same matches as the global regex without a pass over the whole text.
 * Every such hint occurrence is a hit: an anchor covering it would have to hold a non-word character
 * followed by the hint's first two characters, and none does (the non-word characters inside anchors are
 * followed by `k`, `sl`, `co`, `/`, `pt`, `st`, `sa`, `ct`, `se`, `ke`, `1`; no hint starts so).
 */
export function atPrefix(hints: readonly string[], regex: RegExp, accept: Accept = () => true): SecretPattern['find'] {
  const sticky = new RegExp(regex.source, `${regex.flags.replace('g', '')}y`);
  const words = [...new Set(hints.map((h) => h.toLowerCase()))];
  return (raw, anchors) => {
    const spans: Span[] = [];
    let resumeAt = 0;
    for (const hit of hitsOf(anchors(), words)) {
      if (hit.index < resumeAt || !hints.some((hint) => raw.startsWith(hint, hit.index))) continue;
      sticky.lastIndex = hit.index;
      const m = sticky.exec(raw);
      if (m === null) continue;
      resumeAt = hit.index + m[0].length;
      const span = spanOf(m);
      if (accept(raw.slice(span.start, span.end), m, span.end)) spans.push(span);
      if (spans.length >= MAX_MATCHES) break;
    }
    return spans;
  };
}

/**
 * A labelled shape: for each keyword hit in `words`, `startAt` says where a match would begin (or undefined to
 * skip the hit) and a sticky regex (`y` flag) is tried there.
 */
export function byKeyword(
  words: readonly string[],
  startAt: (raw: string, hit: AnchorHit) => number | undefined,
  sticky: RegExp,
  accept: Accept,
): SecretPattern['find'] {
  return (raw, anchors) => {
    const spans: Span[] = [];
    let resumeAt = 0;
    for (const hit of hitsOf(anchors(), words)) {
      if (hit.index < resumeAt) continue;
      const start = startAt(raw, hit);
      if (start === undefined) continue;
      sticky.lastIndex = start;
      const m = sticky.exec(raw);
      if (m === null) continue;
      resumeAt = start + m[0].length;
      const span = spanOf(m);
      if (accept(raw.slice(span.start, span.end), m, span.end)) spans.push(span);
      if (spans.length >= MAX_MATCHES) break;
    }
    return spans;
  };
}

/** Start a match at the keyword itself. */
export const atKeyword = (_raw: string, hit: AnchorHit): number => hit.index;

/** Start a match at the keyword, or earlier when the text just before it matches `prefix` (anchored at `$`). */
export function withPrefix(prefix: RegExp, required: boolean, reach = 12) {
  return (raw: string, hit: AnchorHit): number | undefined => {
    const before = raw.slice(Math.max(0, hit.index - reach), hit.index);
    const m = prefix.exec(before);
    if (m === null) return required ? undefined : hit.index;
    return hit.index - m[0].length;
  };
}

function isSchemeChar(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}

/** A URL scheme ends where `://` begins; walk back over scheme characters (`[A-Za-z0-9+.-]`) to its start. */
export function schemeStart(raw: string, hit: AnchorHit): number | undefined {
  let i = hit.index;
  while (i > 0 && hit.index - i < 40 && isSchemeChar(raw.charCodeAt(i - 1))) i -= 1;
  return i === hit.index ? undefined : i;
}
