/**
 * Base85 for the encoded-payloads detector (issue 12, "Encoded payloads"): Ascii85 (`!`..`u`, `z` for four
 * zero bytes) and Z85 (ZeroMQ's alphabet of letters, digits and `.-:+=^!/*?&<>()[]{}@%$#`), delimited by
 * `<~ ~>` or not at all. An undelimited run is any whitespace-free stretch of the two alphabets' union, so
 * URLs, paths and minified code are candidates too; two cheap tests keep them from costing a decode:
 * a run must hold punctuation outside the base64 alphabet (a base64 run or a word is the other scan's),
 * and four bytes of ASCII text always encode to a group whose first digit lies in a narrow band (10–40
 * of 85), which most groups of a URL miss. Only runs that pass both are decoded, and only decoded
 * readable text counts (encoded-runs.ts `isReadable`).
 */
import { asciiBytes } from '../text/literal-scan.js';

export type Base85Kind = 'ascii85' | 'z85';

/** 25 characters are five groups, 20 bytes: shorter runs hold no sentence worth decoding. */
const MIN_RUN = 25;
const Z85_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const Z85_VALUE: Int8Array = Int8Array.from({ length: 256 }, (_, b) => Z85_ALPHABET.indexOf(String.fromCharCode(b)));
/** The union of both alphabets: `!`..`}` except `|`. */
const UNION: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x21 && b <= 0x7d && b !== 0x7c ? 1 : 0));
const NOT_BASE64: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (/[A-Za-z0-9+/=_-]/.test(String.fromCharCode(b)) ? 0 : 1));
const LOWER: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x61 && b <= 0x7a ? 1 : 0));
const ASCII85_RUN = /^[!-uz]+$/;
const DELIMITED = /<~([!-u\s]{5,8000}?)~>/g;
/** Quotes and brackets around a run, and sentence punctuation after it, that belong to the prose. */
const LEADING = /^["'([{<]+/;
const TRAILING = /["')\]}>.,;:!?]+$/;
/** Enough runs for any real message (the same bound as the base64 scan). */
const MAX_RUNS = 4096;

function value(kind: Base85Kind, code: number): number {
  return kind === 'ascii85' ? code - 33 : Z85_VALUE[code] ?? -1;
}

/**
 * Whether `run` is shaped like base85 of text, on its first 16 groups: most groups start with the first
 * digit of four ASCII-text bytes (0x20202020..0x7E7E7E7E divided by 85⁴ is 10..40; a little slack for the
 * odd accented letter), and the other digits spread over the alphabet, so lower-case letters are a
 * minority of them (about 26 of 85), where a URL, a path or an identifier is mostly lower case.
 */
function textShaped(kind: Base85Kind, run: string): boolean {
  let groups = 0;
  let shaped = 0;
  let lower = 0;
  for (let i = 0; i + 5 <= run.length && groups < 16; i += 5, groups++) {
    const v = value(kind, run.charCodeAt(i));
    if (v >= 8 && v <= 42) shaped++;
    for (let k = i + 1; k < i + 5; k++) lower += LOWER[run.charCodeAt(k) & 0xff] ?? 0;
  }
  return groups >= 5 && shaped >= groups * 0.8 && lower <= groups * 4 * 0.5;
}

/**
 * Whitespace-free runs of the union alphabet, MIN_RUN long, with some punctuation a base64 run cannot hold
 * and not mostly lower case (counted in the same pass, so links and paths cost no slice).
 */
function unionRuns(text: string, bytes: Uint8Array): string[] {
  const runs: string[] = [];
  const n = bytes.length;
  let probe = MIN_RUN - 1;
  while (probe < n && runs.length < MAX_RUNS) {
    if (UNION[bytes[probe]!] === 0) {
      probe += MIN_RUN;
      continue;
    }
    let start = probe;
    while (start > 0 && UNION[bytes[start - 1]!] === 1) start--;
    let end = start;
    let outside = 0;
    let lower = 0;
    for (let b = bytes[end]!; end < n && UNION[b] === 1; b = bytes[++end]!) {
      outside += NOT_BASE64[b] as number;
      lower += LOWER[b] as number;
    }
    // Base85 of text is at most ~45% lower case whatever its alignment (textShaped); prose tokens, URLs and paths are more.
    if (end - start >= MIN_RUN && outside >= 2 && lower <= (end - start) * 0.55) runs.push(text.slice(start, end));
    probe = end + MIN_RUN;
  }
  return runs;
}

/**
 * The kinds `run` could be. Prose punctuation around it is trimmed first (a trailing `.` would add a noisy
 * last group); a misaligned trim fails the text shape, so the next variant, down to the bare run, is tried.
 */
function classify(run: string): { kind: Base85Kind; encoded: string }[] {
  const out: { kind: Base85Kind; encoded: string }[] = [];
  const tailless = run.replace(TRAILING, '');
  const variants = [...new Set([tailless.replace(LEADING, ''), tailless, run])].filter((v) => v.length >= MIN_RUN);
  for (const kind of ['ascii85', 'z85'] as const) {
    const encoded = variants.find((v) => inAlphabet(kind, v) && textShaped(kind, v));
    if (encoded !== undefined) out.push({ kind, encoded });
  }
  return out;
}

function inAlphabet(kind: Base85Kind, run: string): boolean {
  if (kind === 'ascii85') return ASCII85_RUN.test(run);
  for (let i = 0; i < run.length; i++) if ((Z85_VALUE[run.charCodeAt(i)] ?? -1) < 0) return false;
  return true;
}

/** Base85 candidates of `text`: `<~ ~>` blocks, then undelimited runs shaped like encoded text. */
export function base85Runs(text: string, bytes?: Uint8Array): { kind: Base85Kind; encoded: string }[] {
  const out: { kind: Base85Kind; encoded: string }[] = [];
  if (text.length < MIN_RUN && !text.includes('<~')) return out;
  const delimited = new Set<string>();
  if (text.includes('<~')) {
    for (const m of text.matchAll(DELIMITED)) {
      const encoded = m[1] ?? '';
      delimited.add(encoded);
      out.push({ kind: 'ascii85', encoded });
    }
  }
  for (const run of unionRuns(text, bytes ?? asciiBytes(text))) {
    if ([...delimited].some((d) => run.includes(d.trim()))) continue;
    out.push(...classify(run));
  }
  return out;
}

/** Bytes of a base85 run (whitespace ignored); a short final group is padded as Ascii85 and Z85 both do. */
export function decodeBase85(kind: Base85Kind, s: string): Buffer {
  const clean = s.replace(/\s/g, '');
  const out: number[] = [];
  let acc = 0;
  let count = 0;
  const flush = (keep: number): void => {
    out.push((acc >>> 24) & 255, (acc >>> 16) & 255, (acc >>> 8) & 255, acc & 255);
    out.length -= 4 - keep;
    acc = 0;
    count = 0;
  };
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    if (kind === 'ascii85' && code === 0x7a && count === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const v = value(kind, code);
    if (v < 0 || v > 84) return Buffer.alloc(0);
    acc = acc * 85 + v;
    if (++count === 5) flush(4);
  }
  if (count > 0) {
    const keep = count - 1;
    while (count < 5) {
      acc = acc * 85 + 84;
      count++;
    }
    flush(keep);
  }
  return Buffer.from(out);
}
