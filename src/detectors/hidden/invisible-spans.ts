/**
 * Where a raw string holds invisible format characters that have no legitimate use in text a model reads
 * (issue 12, SMAC-1), as spans the `strip` action can excise. Legitimate sequences stay:
 * - a zero-width joiner or non-joiner between two non-ASCII characters (emoji ZWJ sequences such as 👩‍💻,
 *   Persian and Indic words), an emoji flag's tag sequence (🏴 + tag letters + cancel tag), one variation
 *   selector after a visible character (❤️, keycaps), a leading BOM;
 * - bidi marks (LRM, RLM, ALM) and isolates in a string that holds right-to-left script;
 * - soft hyphens (hyphenation hints), Mongolian and Hangul fillers inside their own scripts.
 * Everything else of the kind is reported: zero-width spaces and joiners between ASCII letters, word
 * joiners, invisible operators, tag characters, runs of variation selectors (a known smuggling channel),
 * a BOM after the start, and — as bidi controls — embeddings and overrides (U+202A–U+202E) always.
 *
 * Why these lines: a human reading the rendered text cannot see any of these characters, while the model
 * reads every one; the listed exceptions are what real text (emoji, RTL and Indic scripts) needs.
 */
import type { Span } from '../../pipeline/types.js';

export interface InvisibleSpans {
  /** Zero-width characters, tags, variation-selector runs, stray BOMs and other invisible operators. */
  invisible: Span[];
  /** Bidi embeddings/overrides, and bidi marks/isolates outside right-to-left text. */
  bidi: Span[];
  /** Whether any embedding or override (U+202A–U+202E) is among `bidi`. */
  overrides: boolean;
}

// Regexes here are non-unicode, with supplementary planes spelled as surrogate pairs: a /u class over a
// 1 MiB two-byte string cost ~8 ms, the plain one a fraction (issue 12, Speed).
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]|[\uD802\uD803\uD83A\uD83B][\uDC00-\uDFFF]/;
const MONGOLIAN = /[\u1800-\u18AF]/;
const HANGUL_JAMO = /[\u1100-\u11FF]/;
/** Any character this module judges (BMP ones, then tags and variation selectors E0000–E01EF, musical format 1D173–1D17A). */
const CANDIDATE_SOURCE =
  '[\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0]|\\uDB40[\\uDC00-\\uDDEF]|\\uD834[\\uDD73-\\uDD7A]';
const CANDIDATE = new RegExp(CANDIDATE_SOURCE);

/** The same set as CANDIDATE, by code point (called per character, so no regex). */
function isCandidate(cp: number): boolean {
  if (cp < 0x061c) return false;
  if (cp <= 0x206f) {
    return cp === 0x061c || cp === 0x115f || cp === 0x1160 || cp === 0x17b4 || cp === 0x17b5 || (cp >= 0x180b && cp <= 0x180e) ||
      (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || cp >= 0x2060;
  }
  if (cp < 0x3164) return false;
  return cp === 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || cp === 0xffa0 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

type Kind = 'invisible' | 'bidi' | 'override' | undefined;

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0x180b && cp <= 0x180d);
}

function isTag(cp: number): boolean {
  return cp >= 0xe0000 && cp <= 0xe007f;
}

/** A character a reader sees: not whitespace, not a format character this module judges. */
function isVisible(cp: number | undefined): boolean {
  if (cp === undefined || cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0)) return false;
  return !isCandidate(cp);
}

/** The code point ending just before UTF-16 index `i`, or undefined at the start. */
function cpBefore(raw: string, i: number): { cp: number; at: number } | undefined {
  if (i <= 0) return undefined;
  const low = raw.charCodeAt(i - 1);
  const at = low >= 0xdc00 && low <= 0xdfff && i >= 2 ? i - 2 : i - 1;
  return { cp: raw.codePointAt(at) ?? 0, at };
}

/** The code point before `i`, skipping variation selectors (❤️‍🔥 joins after the heart's VS16). */
function baseBefore(raw: string, i: number): number | undefined {
  let prev = cpBefore(raw, i);
  while (prev && isVariationSelector(prev.cp)) prev = cpBefore(raw, prev.at);
  return prev?.cp;
}

interface Context {
  rtl: boolean;
  mongolian: boolean;
  hangul: boolean;
}

/** The kind of the candidate `cp` at UTF-16 index `i` that is `len` units long, or undefined when it is legitimate here. */
function judge(raw: string, i: number, cp: number, len: number, ctx: Context): Kind {
  const prev = cpBefore(raw, i)?.cp;
  const next = raw.codePointAt(i + len);
  if (cp >= 0x202a && cp <= 0x202e) return 'override';
  if (cp === 0x200e || cp === 0x200f || cp === 0x061c || (cp >= 0x2066 && cp <= 0x2069)) return ctx.rtl ? undefined : 'bidi';
  if (cp === 0x200c || cp === 0x200d) {
    const base = baseBefore(raw, i);
    return base !== undefined && next !== undefined && base > 0x7f && next > 0x7f && isVisible(base) && isVisible(next) ? undefined : 'invisible';
  }
  if (cp === 0xfeff) return i === 0 ? undefined : 'invisible';
  if (isVariationSelector(cp)) {
    if (cp >= 0x180b && cp <= 0x180d && ctx.mongolian) return undefined;
    return isVisible(prev) && !isVariationSelector(next ?? 0) ? undefined : 'invisible';
  }
  if (cp === 0x180e) return ctx.mongolian ? undefined : 'invisible';
  if (cp === 0x115f || cp === 0x1160) return ctx.hangul ? undefined : 'invisible';
  return 'invisible';
}

/** One candidate character, or the waving black flag that may open a legitimate tag sequence. */
const SCAN = new RegExp(`${CANDIDATE_SOURCE}|\\uD83C\\uDFF4`, 'g');
/** A legitimate emoji flag: 🏴 + two to seven tag letters, up to three tag digits, cancel tag. */
const FLAG = /\uD83C\uDFF4(?:\uDB40[\uDC61-\uDC7A]){2,7}(?:\uDB40[\uDC30-\uDC39]){0,3}\uDB40\uDC7F/y;

function push(list: Span[], start: number, end: number): void {
  const last = list[list.length - 1];
  if (last && last.end === start) last.end = end;
  else list.push({ start, end });
}

/** Spans of `raw` (UTF-16 offsets) holding illegitimate invisible or bidi characters; empty for ASCII. */
export function invisibleSpans(raw: string): InvisibleSpans {
  const out: InvisibleSpans = { invisible: [], bidi: [], overrides: false };
  if (Buffer.byteLength(raw, 'utf8') === raw.length || !CANDIDATE.test(raw)) return out;
  const ctx: Context = { rtl: RTL.test(raw), mongolian: MONGOLIAN.test(raw), hangul: HANGUL_JAMO.test(raw) };
  let skipUntil = 0;
  for (const m of raw.matchAll(SCAN)) {
    if (m.index < skipUntil) continue;
    const token = m[0];
    if (token === '\uD83C\uDFF4') {
      FLAG.lastIndex = m.index;
      if (FLAG.test(raw)) skipUntil = FLAG.lastIndex;
      continue;
    }
    const cp = token.codePointAt(0) ?? 0;
    const kind = isTag(cp) ? 'invisible' : judge(raw, m.index, cp, token.length, ctx);
    if (kind === undefined) continue;
    if (kind === 'override') out.overrides = true;
    push(kind === 'invisible' ? out.invisible : out.bidi, m.index, m.index + token.length);
  }
  return out;
}
