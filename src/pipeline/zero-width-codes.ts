/**
 * Text hidden in runs of zero-width characters (issue 4; issue 12, "Encoded payloads"). Steganography
 * tools write each character as digits in an alphabet of two to four invisible characters:
 * - binary, eight or sixteen digits per character (ZWSP/ZWNJ and the like);
 * - ternary, fixed width (five, six or eleven digits), or binary digits with a third character
 *   separating the characters;
 * - quaternary, four or eight digits per character (e.g. U+200C, U+200D, U+202C, U+FEFF).
 * Which character means which digit is not known, so every assignment is tried on the start of the run
 * (at most 24 × 2 short decodes) and the most readable decoding wins; the whole run is then decoded with
 * it. A run that decodes to nothing readable is reported as its length, so it still counts as hidden.
 */

/** Invisible characters seen in zero-width alphabets: ZWSP..RLM, bidi embeddings/pop, word joiner and invisible operators, BOM, MVS. */
const ZW_RUN = /[\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]{16,}/g;
/** The start of a run every scheme is tried on: enough for several characters in any width. */
const TRIAL = 264;

/**
 * How much `s` reads as text: 0 unless more than 85% is printable ASCII with some letters; then that share
 * plus the share of letters and spaces, which tells the right digit assignment from a wrong one that
 * happens to land in printable punctuation too.
 */
function readability(s: string): number {
  if (s.length < 2) return 0;
  let ok = 0;
  let wordish = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) ok++;
    if (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x20) wordish++;
  }
  return wordish === 0 || ok / s.length <= 0.85 ? 0 : (ok + wordish) / s.length;
}

type Scheme = (digits: readonly number[]) => string;

/** Fixed-width positional digits in `base`, `width` digits per UTF-16 code unit. */
function positional(base: number, width: number): Scheme {
  return (digits) => {
    let out = '';
    for (let i = 0; i + width <= digits.length; i += width) {
      let v = 0;
      for (let k = i; k < i + width; k++) v = v * base + (digits[k] ?? 0);
      out += String.fromCharCode(v & 0xffff);
    }
    return out;
  };
}

/** Binary digits 0/1 of variable length, characters separated by digit 2. */
const separated: Scheme = (digits) => {
  let out = '';
  let v = 0;
  let n = 0;
  for (const d of digits) {
    if (d === 2) {
      if (n > 0) out += String.fromCharCode(v & 0xffff);
      v = 0;
      n = 0;
    } else {
      v = v * 2 + d;
      n++;
    }
  }
  return n > 0 ? out + String.fromCharCode(v & 0xffff) : out;
};

/** Binary, eight bits a character, with digit 2 ignored (a marker or padding character). */
const bitsIgnoringThird: Scheme = (digits) => positional(2, 8)(digits.filter((d) => d !== 2));

const SCHEMES: Readonly<Record<number, readonly Scheme[]>> = {
  2: [positional(2, 8), positional(2, 16)],
  3: [positional(3, 5), positional(3, 6), positional(3, 11), separated, bitsIgnoringThird],
  4: [positional(4, 4), positional(4, 8)],
};

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]));
}

/** The text hidden in one run, or undefined when no scheme reads as text. */
export function decodeZeroWidthRun(run: string): string | undefined {
  const symbols = [...new Set(run)];
  const schemes = SCHEMES[symbols.length];
  if (schemes === undefined) return undefined;
  const chars = [...run];
  let best: { score: number; scheme: Scheme; digit: Map<string, number> } | undefined;
  for (const order of permutations(symbols.length)) {
    const digit = new Map(symbols.map((s, i) => [s, order[i] ?? 0]));
    const trial = chars.slice(0, TRIAL).map((c) => digit.get(c) ?? 0);
    for (const scheme of schemes) {
      const score = readability(scheme(trial));
      if (score > (best?.score ?? 0)) best = { score, scheme, digit };
    }
  }
  if (best === undefined) return undefined;
  const { scheme, digit } = best;
  return scheme(chars.map((c) => digit.get(c) ?? 0));
}

/**
 * Runs decoded per text. Trying every scheme costs a few microseconds per run, so a text made of
 * thousands of short runs would cost seconds; past this many, the rest are noted together.
 */
const MAX_DECODED_RUNS = 32;

/** Payloads of the zero-width runs in `raw`: decoded text, or a note of the run's length. */
export function decodeZeroWidthBits(raw: string): string[] {
  const out: string[] = [];
  let more = 0;
  for (const m of raw.matchAll(ZW_RUN)) {
    if (new Set(m[0]).size < 2) continue;
    if (out.length >= MAX_DECODED_RUNS) more++;
    else out.push(decodeZeroWidthRun(m[0]) ?? `[${[...m[0]].length} zero-width characters]`);
  }
  if (more > 0) out.push(`[${more} more runs of zero-width characters]`);
  return out;
}
