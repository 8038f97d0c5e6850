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
import { eachEmail, urlMatches, type Match } from './address-spans.js';

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

/** The definition of a token an opaque id is taken from; `eachToken` finds its matches. */
export const TOKEN = /[A-Za-z0-9][A-Za-z0-9_.-]{10,254}[A-Za-z0-9]/g;

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

function urls(matches: readonly Match[], take: (v: DistinctiveValue) => boolean): boolean {
  for (const [, match] of matches) {
    const value = canonicalUrl(match);
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

const AT = 0x40;

function ids(text: string, take: (v: DistinctiveValue) => boolean): boolean {
  let more = true;
  eachToken(text, (start, end) => {
    // Inside an e-mail address or a URL's host: those are their own kinds.
    if (text.charCodeAt(start - 1) === AT || text.charCodeAt(end) === AT) return true;
    const token = text.slice(start, end);
    if (isOpaqueId(token)) more = take({ kind: 'id', value: token });
    return more;
  });
  return more;
}

/** TOKEN's characters by UTF-16 code: 2 letters and digits (may start or end a token), 1 `_.-`, 0 any other. */
const TOKEN_PART: Uint8Array = Uint8Array.from({ length: 0x10000 }, (_, c) => (c >= 0x80 ? 0 : /[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 2 : /[_.-]/.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * The matches of TOKEN in order, as `matchAll` finds them, as [start, end), from one pass over the text
 * (issue 12, Speed: the pattern ran from every letter of every word, reading the word to its end, ~40 ms
 * per MiB of prose). A match lies inside a run of token characters, starts at a letter or digit and ends at
 * the last letter or digit 11 to 255 characters further (the greedy middle backs off to it), if there is one.
 */
export function eachToken(text: string, visit: (start: number, end: number) => boolean): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && TOKEN_PART[text.charCodeAt(i)]! === 0) i++;
    const run = i;
    while (i < n && TOKEN_PART[text.charCodeAt(i)]! !== 0) i++;
    if (i - run >= 12 && !tokensInRun(text, run, i, visit)) return;
  }
}

function tokensInRun(text: string, from: number, to: number, visit: (start: number, end: number) => boolean): boolean {
  let pos = from;
  while (pos < to) {
    let start = pos;
    while (start < to && TOKEN_PART[text.charCodeAt(start)]! !== 2) start++;
    if (to - start < 12) return true;
    const last = Math.min(to - 1, start + 255);
    let end = last;
    while (end >= start + 11 && TOKEN_PART[text.charCodeAt(end)]! !== 2) end--;
    if (end >= start + 11) {
      if (!visit(start, end + 1)) return false;
      pos = end + 1;
    } else if (last === to - 1) return true;
    else pos = start + 1;
  }
  return true;
}

/**
 * The distinctive values of a text, in kind order, duplicates removed, handed to `take` one by one until
 * it returns false (the flow store keeps a bounded number per message, so the rest need not be found).
 * Returns false when `take` stopped it.
 */
export function eachDistinctiveValue(text: string, take: (v: DistinctiveValue) => boolean, urlsFound: readonly Match[] = urlMatches(text)): boolean {
  const seen: Record<ValueKind, Set<string>> = { email: new Set(), url: new Set(), id: new Set() };
  const unique = (v: DistinctiveValue): boolean => {
    const kind = seen[v.kind];
    if (kind.has(v.value)) return true;
    kind.add(v.value);
    return take(v);
  };
  if (text.includes('@') && !emails(text, unique)) return false;
  if (!urls(urlsFound, unique)) return false;
  return ids(text, unique);
}

/** The distinctive values of a text, in kind order, duplicates removed. */
export function distinctiveValues(text: string): DistinctiveValue[] {
  const out: DistinctiveValue[] = [];
  eachDistinctiveValue(text, (v) => out.push(v) > 0);
  return out;
}
