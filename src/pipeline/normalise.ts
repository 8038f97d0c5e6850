/**
 * Normalisation before matching (issue 4, "Normalise before matching"). `normalise(raw)` returns the
 * text detectors match against and the hidden payloads that were smuggled through invisible channels
 * (Unicode tag characters, zero-width alphabets of two to four characters (zero-width-codes.ts), bidi
 * overrides, ANSI-concealed or erased text, OSC-8 link targets), decoded so they can be scanned like visible text.
 *
 * The raw string is never changed here: rewriting is the policy's job and only touches the raw field.
 * Benign uses of invisible characters (emoji ZWJ sequences, flag tag sequences, a leading BOM, RTL marks,
 * soft hyphens, colour-only ANSI) are removed silently and produce no hidden payload.
 */
import { foldConfusables } from './confusables.js';
import { decodeEscapes, escapeEdits, isEscapeCode } from './decode-escapes.js';
import { applyEdits, mergeEdits, type TextEdit } from './text-edits.js';
import { stripAnsi } from './ansi.js';
import { decodeZeroWidthBits } from './zero-width-codes.js';

export { decodeZeroWidthBits };

export interface Normalised {
  text: string;
  hidden: string[];
}

const TAG_RUN = /(\u{1F3F4})?((?:[\u{E0000}-\u{E007F}])+)/gu;
const BIDI_OVERRIDE = /[\u202D\u202E]([^\u202C\n]{1,2000})\u202C?/g;
/** Format characters removed from the matching text (zero-width, bidi, soft hyphen, variation selectors, BOM). */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
const ESCAPE_HINT = /[&%\\]/;
/** Any character the three payload decoders below start from (one scan instead of three). */
const HIDING_CHANNEL = /[\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]|\uDB40[\uDC00-\uDC7F]/; // non-unicode: a /u class is slow on 1 MiB
/** A run of non-ASCII characters with the character before it (a combining mark composes with its base). */
const NON_ASCII_RUN = /[\x00-\x7F]?[^\x00-\x7F]+/g;

/**
 * Invisible characters removed, NFKC, confusables folded — on the non-ASCII runs only: ASCII is NFKC-stable,
 * never confusable and never invisible, and no ASCII character composes with the one before it, so the
 * result equals doing it on the whole text (issue 12, Speed: NFKC of a 1 MiB text cost ~15 ms). As edits,
 * for the runs that change.
 */
function foldEdits(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const m of text.matchAll(NON_ASCII_RUN)) {
    const folded = foldConfusables(m[0].replace(INVISIBLE, '').normalize('NFKC'));
    if (folded !== m[0]) edits.push({ from: m.index, to: m.index + m[0].length, text: folded });
  }
  return edits;
}

/**
 * The fold's edits narrowed to the run's non-ASCII part, when folding keeps the escape stretches of the
 * text (decode-escapes.ts) where they were: the run's leading ASCII character, if any, stays, and what its
 * non-ASCII part folds to is not empty and holds no escape character — it separates stretches as the
 * non-ASCII characters did. Then the escapes can be decoded on the raw text, and both applied in one
 * copy; undefined when some run joins, splits or makes escapes (fullwidth letters, a removed zero-width
 * character between two halves of an entity), and the folded text must be made first.
 */
function escapeNeutral(text: string, edits: readonly TextEdit[]): TextEdit[] | undefined {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const lead = text.charCodeAt(edit.from) < 0x80 ? 1 : 0;
    if (lead === 1 && edit.text.charCodeAt(0) !== text.charCodeAt(edit.from)) return undefined;
    const rest = edit.text.slice(lead);
    if (rest.length === 0) return undefined;
    for (let i = 0; i < rest.length; i++) if (isEscapeCode(rest.charCodeAt(i))) return undefined;
    out.push({ from: edit.from + lead, to: edit.to, text: rest });
  }
  return out;
}

/** The fold and the escape decoding in one copy of the text at most (see `escapeNeutral`). */
function foldAndDecode(raw: string): string {
  let text = raw;
  let folds = foldEdits(raw);
  const neutral = escapeNeutral(raw, folds);
  if (neutral === undefined) {
    text = applyEdits(raw, folds);
    folds = [];
  } else folds = neutral;
  return applyEdits(text, mergeEdits(folds, ESCAPE_HINT.test(text) ? escapeEdits(text) : []));
}

export function normalise(raw: string): Normalised {
  const hidden: string[] = [];
  let text = raw;
  if (text.includes('\x1b') || text.includes('\x9b')) {
    const ansi = stripAnsi(text);
    text = ansi.text;
    hidden.push(...ansi.hidden);
  }
  // UTF-8 needs exactly one byte per UTF-16 unit only for ASCII text (a cheaper test than a regex scan).
  if (Buffer.byteLength(text, 'utf8') !== text.length) {
    if (HIDING_CHANNEL.test(text)) hidden.push(...decodeTagRuns(text), ...decodeZeroWidthBits(text), ...reverseBidiOverrides(text));
    text = foldAndDecode(text);
  } else if (ESCAPE_HINT.test(text)) text = decodeEscapes(text);
  return { text, hidden: hidden.length === 0 ? hidden : hidden.filter((h) => h.trim().length > 0) };
}

/**
 * Unicode tag characters mirror ASCII (U+E0020..E007E). A run right after U+1F3F4 (waving black flag) is
 * an emoji subdivision flag such as England's and is not a payload.
 */
export function decodeTagRuns(raw: string): string[] {
  if (!/[\u{E0000}-\u{E007F}]/u.test(raw)) return [];
  const out: string[] = [];
  for (const m of raw.matchAll(TAG_RUN)) {
    const run = m[2] ?? '';
    const decoded = Array.from(run, (ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      return cp >= 0xe0020 && cp <= 0xe007e ? String.fromCharCode(cp - 0xe0000) : '';
    }).join('');
    const isFlag = m[1] !== undefined && /^[a-z0-9]{2,7}$/.test(decoded);
    if (!isFlag && decoded.length > 0) out.push(decoded);
  }
  return out;
}

/**
 * A right-to-left override shows Latin text reversed: what the model reads and what a human sees differ.
 * Only spans whose content is mostly Latin letters are reported (Hebrew/Arabic with overrides is rare but
 * then the override is cosmetic).
 */
export function reverseBidiOverrides(raw: string): string[] {
  if (!/[\u202D\u202E]/.test(raw)) return [];
  const out: string[] = [];
  for (const m of raw.matchAll(BIDI_OVERRIDE)) {
    const inner = (m[1] ?? '').replace(INVISIBLE, '');
    const latin = (inner.match(/[A-Za-z]/g) ?? []).length;
    if (latin >= 4 && latin / Math.max(1, inner.replace(/\s/g, '').length) > 0.5) out.push([...inner].reverse().join(''));
  }
  return out;
}
