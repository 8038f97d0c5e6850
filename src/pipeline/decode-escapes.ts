/**
 * Repeated decoding of the escape layers attackers stack to hide keywords from literal matchers:
 * HTML entities (named subset, decimal, hex), URL percent-encoding and JSON/JS escapes (`\uXXXX`, `\xXX`,
 * `\n`, `\"`: tool results often carry JSON-encoded text inside text).
 * Runs until the text stops changing (at most four rounds), so `&amp;lt;` and `%253C` unwrap too.
 * Only valid escapes are decoded; a lone `%` or `&` stays as it is.
 *
 * Only the neighbourhoods of `&`, `%` and `\` are decoded (issue 4: a 1 MiB result in under 20 ms; whole-text
 * rounds cost ~3 ms). Escapes consist of letters, digits and `&#;%\{}"'/` only, so any other character (space,
 * newline, most punctuation, non-ASCII) is never part of an escape in any round and never changes: decoding
 * the stretches between such characters one by one, each until it is stable, gives exactly the whole-text result
 * (and so does decoding them joined by such a character, which is what happens, in one call).
 */
import { ownValue } from '../core/index.js';
import { applyEdits, type TextEdit } from './text-edits.js';

const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', colon: ':', lpar: '(', rpar: ')',
  lsqb: '[', rsqb: ']', excl: '!', num: '#', equals: '=', period: '.', comma: ',', semi: ';', shy: '',
  zwj: '', zwnj: '', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', bsol: '\\', grave: '`', hyphen: '-',
};

const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g;
const PERCENT = /(?:%[0-9a-fA-F]{2})+/g;
const JS_ESCAPE = /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([ntr"'\/\\])/g;
const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '/': '/', '\\': '\\' };

function fromCodePoint(cp: number): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return fromCodePoint(parseInt(body.slice(2), 16)) || whole;
    if (body.startsWith('#')) return fromCodePoint(parseInt(body.slice(1), 10)) || whole;
    return ownValue<string>(NAMED, body.toLowerCase()) ?? whole;
  });
}

function decodePercent(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(PERCENT, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function decodeJsEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(JS_ESCAPE, (_w, brace?: string, u4?: string, x2?: string, simple?: string) =>
    simple !== undefined ? (ownValue<string>(SIMPLE, simple) ?? simple) : fromCodePoint(parseInt(brace ?? u4 ?? x2 ?? '0', 16)),
  );
}

/** Characters an escape can contain, by code (ASCII only); all others separate independent stretches. */
const ESCAPE_PART: Uint8Array = Uint8Array.from({ length: 128 }, (_, c) => (/[A-Za-z0-9&#;%\\{}"'/]/.test(String.fromCharCode(c)) ? 1 : 0));
/** Joins the stretches for one decoding call; it separates them like any non-escape character does. */
const JOINER = '\u0000';

function isEscapePart(text: string, i: number): boolean {
  return ESCAPE_PART[text.charCodeAt(i)] === 1;
}

/** The stretches of escape characters around each `&`, `%` and `\`, in order, as [from, to). */
function escapeStretches(text: string): [number, number][] {
  const out: [number, number][] = [];
  const next = ['&', '%', '\\'].map((ch) => text.indexOf(ch));
  for (;;) {
    const at = Math.min(...next.map((i) => (i < 0 ? Infinity : i)));
    if (at === Infinity) return out;
    let from = at;
    while (from > 0 && isEscapePart(text, from - 1)) from--;
    let to = at + 1;
    while (to < text.length && isEscapePart(text, to)) to++;
    out.push([from, to]);
    next.forEach((i, k) => {
      if (i >= 0 && i < to) next[k] = text.indexOf(k === 0 ? '&' : k === 1 ? '%' : '\\', to);
    });
  }
}

/**
 * One valid escape of any layer. A stretch holding none does not change in the first round, so it is
 * already stable and is skipped (issue 12, Speed: READMEs are full of `&`, `%` and `\` that escape nothing).
 */
const ANY_ESCAPE = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});|%[0-9a-fA-F]{2}|\\u\{[0-9a-fA-F]{1,6}\}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[ntr"'\/\\]/;

export function decodeEscapes(text: string): string {
  return applyEdits(text, escapeEdits(text));
}

/**
 * What `decodeEscapes` changes, as edits of `text` in order: each stretch holding an escape, with its
 * decoded form when that differs (an invalid percent run, for one, stays as it is).
 */
export function escapeEdits(text: string): TextEdit[] {
  const stretches = escapeStretches(text).filter(([from, to]) => ANY_ESCAPE.test(text.slice(from, to)));
  if (stretches.length === 0) return [];
  const originals = stretches.map(([from, to]) => text.slice(from, to));
  // One call for all stretches; split back unless decoding produced a joiner character itself (then one call each).
  let decoded = decodeEscapeRounds(originals.join(JOINER)).split(JOINER);
  if (decoded.length !== originals.length) decoded = originals.map(decodeEscapeRounds);
  const edits: TextEdit[] = [];
  stretches.forEach(([from, to], i) => {
    const out = decoded[i] ?? '';
    if (out !== originals[i]) edits.push({ from, to, text: out });
  });
  return edits;
}

/** Escape characters (ASCII) by code: every other character separates stretches that decode independently. */
export function isEscapeCode(code: number): boolean {
  return ESCAPE_PART[code] === 1;
}

/** The definition: every layer over the whole text, round after round, until stable (at most four rounds). */
export function decodeEscapeRounds(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = decodeJsEscapes(decodePercent(decodeEntities(current)));
    if (next === current) break;
    current = next;
  }
  return current;
}
