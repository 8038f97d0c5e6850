/**
 * Where a text's URLs and e-mail addresses are, for flow fingerprinting (issue 9): the distinctive values
 * read them, and prose shingles are made of the text around them — the text with each URL replaced by a
 * space, then each e-mail address of that by a space (`withoutAddresses`, the definition). On a large
 * result neither the replaced copies nor a scan of every position are paid for (issue 12, Speed): the
 * URL matches are found once and shared, e-mail addresses are found from each `@`, and the prose reads
 * the original text with the addresses as holes (`addressHoles`).
 */

/** The definition of an e-mail address here; `eachEmail` finds its matches without trying every position. */
export const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b/g;
export const URL_RE = /\bhttps?:\/\/[^\s<>"'`\\{}|^]{3,2048}/gi;

/** What EMAIL allows before the `@` (1: the local part's characters, 2: also its first character). */
const LOCAL_PART: Uint8Array = Uint8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /[A-Za-z0-9]/.test(ch) ? 2 : /[._%+-]/.test(ch) ? 1 : 0;
});
/** EMAIL after its `@`, sticky. */
const DOMAIN = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b/y;
/** The longest domain part plus the one character `\b` looks at. */
const DOMAIN_REACH = 1 + 8 * 63 + 24 + 1;

/** A URL match: where it starts and what it matched. */
export type Match = readonly [index: number, match: string];

export function urlMatches(text: string): Match[] {
  if (!text.includes('://')) return [];
  return Array.from(text.matchAll(URL_RE), (m) => [m.index, m[0]] as const);
}

/**
 * The matches of EMAIL in order, as `matchAll` finds them, found from each `@` (unanchored, the pattern
 * read up to 64 characters at every position of a base64 run, ~0.3 s per MiB). Neither part of a match
 * allows an `@`, so a match holds exactly one; its local part is the whole run of local-part characters
 * before it (at most 64, not reaching into the previous match), starting at its leftmost letter or digit,
 * and its domain part is what DOMAIN matches right after the `@`, whatever the start.
 * With `gaps` (sorted URL matches), the matches in the text with each of them replaced by a space, at
 * their indexes in the original text.
 */
export function eachEmail(text: string, visit: (index: number, match: string) => boolean, gaps: readonly Match[] = []): void {
  let from = 0;
  let gap = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    while (gap < gaps.length && gapEnd(gaps[gap]) <= at) from = Math.max(from, gapEnd(gaps[gap++]));
    const next = gaps[gap];
    if (next !== undefined && next[0] <= at) continue; // inside a URL: replaced
    const start = localStart(text, at, Math.max(from, at - 64));
    if (start < 0) continue;
    const domain = domainAfter(text, at, next === undefined ? text.length : next[0]);
    if (domain === undefined) continue;
    from = at + 1 + domain.length;
    if (!visit(start, text.slice(start, from))) return;
  }
}

function gapEnd(gap: Match | undefined): number {
  return gap === undefined ? 0 : gap[0] + gap[1].length;
}

/** The leftmost start of a local part ending right before `at`, not before `low`; -1 when there is none. */
function localStart(text: string, at: number, low: number): number {
  let start = -1;
  for (let s = at - 1; s >= low; s--) {
    const kind = LOCAL_PART[text.charCodeAt(s)] ?? 0;
    if (kind === 0) break;
    if (kind === 2) start = s;
  }
  return start;
}

/** What DOMAIN matches after the `@` at `at`, with a space in place of the text from `stop` on. */
function domainAfter(text: string, at: number, stop: number): string | undefined {
  if (stop - at > DOMAIN_REACH) {
    DOMAIN.lastIndex = at + 1;
    return DOMAIN.exec(text)?.[0];
  }
  DOMAIN.lastIndex = 0;
  return DOMAIN.exec(`${text.slice(at + 1, stop)} `)?.[0];
}

/**
 * What `withoutAddresses` replaces, as sorted, disjoint [start, end) pairs of the original text: the URL
 * matches (`urls`, as `urlMatches` gives them) and the e-mail addresses between them.
 */
export function addressHoles(text: string, urls: readonly Match[]): [number, number][] {
  const holes: [number, number][] = urls.map(([index, match]) => [index, index + match.length]);
  const emails: [number, number][] = [];
  eachEmail(text, (index, match) => emails.push([index, index + match.length]) > 0, urls);
  if (emails.length === 0) return holes;
  return [...holes, ...emails].sort((a, b) => a[0] - b[0]);
}

/**
 * The text with its URLs and e-mail addresses taken out: what prose shingles are made of. Those are
 * values of their own kinds (and a well-known URL must not count as prose when it is not counted as a URL).
 */
export function withoutAddresses(text: string): string {
  const out = text.includes('://') ? text.replace(URL_RE, ' ') : text;
  return out.includes('@') ? out.replace(EMAIL, ' ') : out;
}
