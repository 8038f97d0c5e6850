/**
 * Distinctive values for flow tracking (issue 9): the strings in a text that identify one piece of data
 * on their own, so that seeing one of them again in a call to another server is evidence of a flow.
 * - `email`: an e-mail address, lower-cased; not at documentation domains (example.com, …).
 * - `url`: an http(s) URL with a path of at least two segments or a query, its scheme and host
 *   lower-cased and fragment and trailing slash dropped; never at well-known reference hosts.
 * - `id`: an opaque token of 12–256 characters (letters, digits, `-`, `_`, `.`) that switches between
 *   letters and digits at least three times, holds a run of 8 letters and digits without a separator
 *   and has ≥ 3 bits of entropy per character: document ids,
 *   UUIDs, API keys, commit hashes. Words, dates, versions, file names (`README.md`) and identifiers in
 *   code (`getUserById2024`) are not.
 * Everything shorter or commoner never counts alone (the rule written in the README): prose counts
 * through its shingles (prose-shingles.ts), and only a run of them.
 */
import { shannonEntropy } from '../secrets/secret-values.js';

export type ValueKind = 'email' | 'url' | 'id';

export interface DistinctiveValue {
  kind: ValueKind;
  /** The canonical form: what is hashed. */
  value: string;
}

/** Domains whose addresses and URLs are examples or references everyone shares. */
const COMMON_HOSTS = new Set([
  'example.com', 'example.org', 'example.net', 'localhost', 'w3.org', 'schema.org', 'json-schema.org', 'purl.org', 'xmlns.com',
  'wikipedia.org', 'developer.mozilla.org', 'ietf.org', 'rfc-editor.org', 'modelcontextprotocol.io', 'spec.modelcontextprotocol.io',
  'npmjs.com', 'pypi.org', 'python.org', 'nodejs.org', 'opensource.org', 'creativecommons.org', 'apache.org', 'gnu.org',
]);

const COMMON_ADDRESSES = new Set(['git@github.com', 'git@gitlab.com', 'git@bitbucket.org']);

/** A host or any parent domain of it is common (`en.wikipedia.org`, `www.w3.org`). */
function commonHost(host: string): boolean {
  const parts = host.split('.');
  for (let i = 0; i < parts.length - 1; i++) if (COMMON_HOSTS.has(parts.slice(i).join('.'))) return true;
  return COMMON_HOSTS.has(host);
}

/** The definition of an e-mail address here; `eachEmail` finds its matches without scanning every position. */
export const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b/g;
const URL_RE = /\bhttps?:\/\/[^\s<>"'`\\{}|^]{3,2048}/gi;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9_.-]{10,254}[A-Za-z0-9]/g;

/** What EMAIL allows before the `@` (1: the local part's characters, 2: also its first character). */
const LOCAL_PART: Uint8Array = Uint8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /[A-Za-z0-9]/.test(ch) ? 2 : /[._%+-]/.test(ch) ? 1 : 0;
});
/** EMAIL after its `@`, sticky. */
const DOMAIN = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b/y;

/**
 * The matches of EMAIL in order, as `matchAll` finds them, found from each `@` (issue 12, Speed:
 * unanchored, the pattern read up to 64 characters at every position of a base64 run, ~0.3 s per MiB).
 * Neither part of a match allows an `@`, so a match holds exactly one; its local part is the whole run of
 * local-part characters before it (at most 64, not reaching into the previous match), starting at the
 * leftmost letter or digit, and its domain part is what DOMAIN matches right after the `@`, whatever the start.
 */
export function eachEmail(text: string, visit: (index: number, match: string) => boolean): void {
  let from = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    const low = Math.max(from, at - 64);
    let start = -1;
    for (let s = at - 1; s >= low; s--) {
      const kind = LOCAL_PART[text.charCodeAt(s)] ?? 0;
      if (kind === 0) break;
      if (kind === 2) start = s;
    }
    if (start < 0) continue;
    DOMAIN.lastIndex = at + 1;
    const domain = DOMAIN.exec(text);
    if (domain === null) continue;
    from = at + 1 + domain[0].length;
    if (!visit(start, text.slice(start, from))) return;
  }
}

function emails(text: string, take: (v: DistinctiveValue) => boolean): boolean {
  let more = true;
  eachEmail(text, (_index, match) => {
    const value = match.toLowerCase();
    const domain = value.slice(value.indexOf('@') + 1);
    if (!commonHost(domain) && !COMMON_ADDRESSES.has(value)) more = take({ kind: 'email', value });
    return more;
  });
  return more;
}

/** The canonical URL, or undefined when it is not distinctive. */
export function canonicalUrl(written: string): string | undefined {
  let url: URL;
  try {
    url = new URL(written.replace(/[.,;:!?)\]]+$/, ''));
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (commonHost(host)) return undefined;
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (segments.length < 2 && url.search.length <= 1) return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host.toLowerCase()}${path}${url.search}`;
}

function urls(text: string, take: (v: DistinctiveValue) => boolean): boolean {
  for (const m of text.matchAll(URL_RE)) {
    const value = canonicalUrl(m[0]);
    if (value && !take({ kind: 'url', value })) return false;
  }
  return true;
}

/** Switches between a letter and a digit, ignoring separators. */
function letterDigitSwitches(token: string): number {
  let switches = 0;
  let last: 'l' | 'd' | undefined;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i) | 0x20;
    const cls = c >= 0x30 && c <= 0x39 ? 'd' : c >= 0x61 && c <= 0x7a ? 'l' : undefined;
    if (cls === undefined) continue;
    if (last !== undefined && cls !== last) switches++;
    last = cls;
  }
  return switches;
}

/** Whether a token is opaque enough to identify a value by itself. */
export function isOpaqueId(token: string): boolean {
  if (token.length < 12 || token.length > 256) return false;
  if (!/[A-Za-z0-9]{8}/.test(token)) return false; // versions and dates are short runs between separators
  return letterDigitSwitches(token) >= 3 && shannonEntropy(token) >= 3;
}

function ids(text: string, take: (v: DistinctiveValue) => boolean): boolean {
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    // Inside an e-mail address or a URL's host: those are their own kinds.
    if (text[start - 1] === '@' || text[start + m[0].length] === '@') continue;
    if (isOpaqueId(m[0]) && !take({ kind: 'id', value: m[0] })) return false;
  }
  return true;
}

/**
 * The text with its URLs and e-mail addresses taken out: what prose shingles are made of. Those are
 * values of their own kinds (and a well-known URL must not count as prose when it is not counted as a URL).
 */
export function withoutAddresses(text: string): string {
  const out = text.includes('://') ? text.replace(URL_RE, ' ') : text;
  const pieces: string[] = [];
  let copied = 0;
  eachEmail(out, (index, match) => {
    pieces.push(out.slice(copied, index), ' ');
    copied = index + match.length;
    return true;
  });
  if (copied === 0) return out;
  pieces.push(out.slice(copied));
  return pieces.join('');
}

/**
 * The distinctive values of a text, in kind order, duplicates removed, handed to `take` one by one until
 * it returns false (the flow store keeps a bounded number per message, so the rest need not be found).
 * Returns false when `take` stopped it.
 */
export function eachDistinctiveValue(text: string, take: (v: DistinctiveValue) => boolean): boolean {
  const seen = new Set<string>();
  const unique = (v: DistinctiveValue): boolean => {
    const key = `${v.kind}:${v.value}`;
    if (seen.has(key)) return true;
    seen.add(key);
    return take(v);
  };
  if (text.includes('@') && !emails(text, unique)) return false;
  if (text.includes('://') && !urls(text, unique)) return false;
  return ids(text, unique);
}

/** The distinctive values of a text, in kind order, duplicates removed. */
export function distinctiveValues(text: string): DistinctiveValue[] {
  const out: DistinctiveValue[] = [];
  eachDistinctiveValue(text, (v) => out.push(v) > 0);
  return out;
}
