/**
 * Finds many short ASCII literals in one pass over a large text, case-insensitively for ASCII letters
 * (issue 4: a 1 MiB result in under 20 ms). One alternation regex over ~130 literals cost ~10 ms on
 * 1 MiB; this walks the text once with a rolling hash of the last three characters (five low bits
 * each, which upper and lower case letters share) into a table of 32 K slots, and only compares whole
 * literals where a literal's first three characters may start. Few positions (~2% of prose) hit a slot,
 * so the loop rarely branches away; a table of character pairs hit ~12% and paid for mispredicted branches.
 * The walk reads the string itself: converting a 1 MiB text to bytes first cost more (fresh memory) than
 * the scan (issue 12, Speed). A non-ASCII unit may share a slot with ASCII ones, but never compares equal.
 *
 * Contract: `scanLongest` reports, for every position where some literal starts, the position and the
 * longest literal there — exactly what a `(?=(longest|…|shortest))` lookahead regex tried at every
 * position of the lower-cased text reports. Literals are lower-case ASCII, at least three characters;
 * upper-case ASCII letters in the text match them, non-ASCII characters never do.
 */
import type { DetectorContext } from '../../pipeline/types.js';

/** A compiled literal list: the literals and, per hash of their first three bytes, which may start there. */
export interface LiteralTable {
  words: readonly string[];
  /** Per three-byte hash: 0, or 1 + index into `lists`. */
  slots: Uint16Array;
  /** Word indexes sharing a hash, longest first. */
  lists: readonly (readonly number[])[];
  codes: readonly Uint8Array[];
  /** Where a scan collects its hits before copying them out (see `Collector`). */
  scratch: Collector;
}

/**
 * Where literals start, and which (the index into the table's words), in text order. Typed arrays: on
 * trigger-dense prose (38 000 hits per MiB) growing two plain arrays cost ~6 ms, most of it fresh memory.
 */
export interface LiteralHits {
  at: Int32Array;
  word: Uint16Array;
}

const NO_HITS: LiteralHits = { at: new Int32Array(0), word: new Uint16Array(0) };

/**
 * A table's reusable hit buffer (issue 12, Speed): a scan writes into it and copies the hits out at the
 * end, so its memory is touched once per process instead of per scan. Scans are synchronous and never
 * nest, so one buffer per table is enough, and no result shares it.
 */
class Collector {
  #at = new Int32Array(1024);
  #word = new Uint16Array(1024);
  count = 0;

  push(at: number, word: number): void {
    if (this.count === this.#at.length) {
      const grownAt = new Int32Array(this.count * 2);
      grownAt.set(this.#at);
      this.#at = grownAt;
      const grownWord = new Uint16Array(this.count * 2);
      grownWord.set(this.#word);
      this.#word = grownWord;
    }
    this.#at[this.count] = at;
    this.#word[this.count] = word;
    this.count++;
  }

  take(): LiteralHits {
    const n = this.count;
    this.count = 0;
    return n === 0 ? NO_HITS : { at: this.#at.slice(0, n), word: this.#word.slice(0, n) };
  }
}

const NON_ASCII = 0x80;
const HASH_MASK = 0x7fff;
/** Byte to lower-case byte (ASCII letters only, like `toLowerCase` on ASCII text). */
const FOLD: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));

function hash3(a: number, b: number, c: number): number {
  return (((a & 31) << 10) | ((b & 31) << 5) | (c & 31)) & HASH_MASK;
}

export function compileLiterals(words: readonly string[]): LiteralTable {
  const codes = words.map((w) => {
    if (w.length < 3 || !/^[\x00-\x7f]+$/.test(w) || w !== w.toLowerCase()) throw new Error(`literal "${w}" is not lower-case ASCII of three or more characters`);
    return Uint8Array.from(w, (c) => c.charCodeAt(0));
  });
  const byHash = new Map<number, number[]>();
  codes.forEach((code, index) => {
    const key = hash3(code[0] ?? 0, code[1] ?? 0, code[2] ?? 0);
    byHash.set(key, [...(byHash.get(key) ?? []), index]);
  });
  const slots = new Uint16Array(HASH_MASK + 1);
  const lists: number[][] = [];
  for (const [key, list] of byHash) {
    lists.push(list.sort((a, b) => (codes[b]?.length ?? 0) - (codes[a]?.length ?? 0)));
    slots[key] = lists.length;
  }
  return { words, slots, lists, codes, scratch: new Collector() };
}

function matchesAt(text: string, at: number, code: Uint8Array): boolean {
  if (at + code.length > text.length) return false;
  for (let k = 0; k < code.length; k++) {
    const c = text.charCodeAt(at + k);
    if (c >= NON_ASCII || FOLD[c] !== code[k]) return false;
  }
  return true;
}

/**
 * Every position where a literal starts, with the index of the longest literal there. The hot loop reads
 * typed arrays with non-null assertions (indexes are in range by construction): the `?? 0` guards cost
 * ~1 ms per MiB (issue 12, Speed).
 */
export function scanLongest(text: string, table: LiteralTable): LiteralHits {
  const { slots, lists, codes, scratch } = table;
  const n = text.length;
  if (n < 3) return NO_HITS;
  scratch.count = 0;
  let key = hash3(0, text.charCodeAt(0), text.charCodeAt(1));
  for (let i = 2; i < n; i++) {
    key = ((key << 5) | (text.charCodeAt(i) & 31)) & HASH_MASK;
    const slot = slots[key]!;
    if (slot === 0) continue;
    for (const index of lists[slot - 1]!) {
      if (matchesAt(text, i - 2, codes[index]!)) {
        scratch.push(i - 2, index);
        break;
      }
    }
  }
  return scratch.take();
}

function matchesAtBytes(bytes: Uint8Array, at: number, code: Uint8Array): boolean {
  if (at + code.length > bytes.length) return false;
  for (let k = 0; k < code.length; k++) {
    if (FOLD[bytes[at + k]!] !== code[k]) return false;
  }
  return true;
}

/**
 * `scanLongest` over `asciiBytes(text)`: for a large raw text whose bytes the run scans share anyway (a
 * typed array keeps the loop monomorphic where strings of both widths pass through one function).
 */
export function scanLongestBytes(bytes: Uint8Array, table: LiteralTable): LiteralHits {
  const { slots, lists, codes, scratch } = table;
  const n = bytes.length;
  if (n < 3) return NO_HITS;
  scratch.count = 0;
  let key = hash3(0, bytes[0]!, bytes[1]!);
  for (let i = 2; i < n; i++) {
    key = ((key << 5) | (bytes[i]! & 31)) & HASH_MASK;
    const slot = slots[key]!;
    if (slot === 0) continue;
    for (const index of lists[slot - 1]!) {
      if (matchesAtBytes(bytes, i - 2, codes[index]!)) {
        scratch.push(i - 2, index);
        break;
      }
    }
  }
  return scratch.take();
}

/** Up to this length a text's bytes are made per use; longer ones are shared per inspection. */
export const SHARE_BYTES_ABOVE = 8192;
const BYTES_KEY: object = Object.freeze({ bytes: 'literal-scan' });
const NON_ASCII_CHAR = /[^\x00-\x7F]/g;

/**
 * The text as bytes, one per UTF-16 unit (indexes stay the same): ASCII as is, anything else 0x80. A large
 * text goes through Latin-1 encoding (native), then its non-ASCII units are overwritten (their low byte could
 * look like ASCII); a small one is copied by a loop, cheaper than the buffer calls.
 */
export function asciiBytes(text: string): Uint8Array {
  if (text.length <= SHARE_BYTES_ABOVE) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[i] = c < NON_ASCII ? c : NON_ASCII;
    }
    return out;
  }
  const out = Buffer.from(text, 'latin1');
  if (Buffer.byteLength(text, 'utf8') === text.length) return out;
  for (const m of text.matchAll(NON_ASCII_CHAR)) out[m.index] = NON_ASCII;
  return out;
}

/** `asciiBytes(text)`, made once per inspection for a large text (the secrets and encoded-payloads detectors share it). */
export function sharedBytes(ctx: DetectorContext, text: string): Uint8Array {
  if (!ctx.shared || text.length <= SHARE_BYTES_ABOVE) return asciiBytes(text);
  const cache = ctx.shared(BYTES_KEY, () => new Map<string, Uint8Array>());
  let bytes = cache.get(text);
  if (bytes === undefined) {
    bytes = asciiBytes(text);
    cache.set(text, bytes);
  }
  return bytes;
}
