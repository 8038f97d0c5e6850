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
import { asciiClass, forEachLongRun } from './long-runs.js';

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

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b/g;
const URL_RE = /\bhttps?:\/\/[^\s<>"'`\\{}|^]{3,2048}/gi;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9_.-]{10,254}[A-Za-z0-9]/g;

function emails(text: string, out: DistinctiveValue[]): void {
  for (const m of text.matchAll(EMAIL)) {
    const value = m[0].toLowerCase();
    const domain = value.slice(value.indexOf('@') + 1);
    if (!commonHost(domain) && !COMMON_ADDRESSES.has(value)) out.push({ kind: 'email', value });
  }
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

function urls(text: string, out: DistinctiveValue[]): void {
  for (const m of text.matchAll(URL_RE)) {
    const value = canonicalUrl(m[0]);
    if (value) out.push({ kind: 'url', value });
  }
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

/** Token characters: letter, digit, `_`, `.`, `-`. */
const TOKEN_CHARS = asciiClass((c) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c === 0x2e || c === 0x2d);
/** The shortest token an id can be (`isOpaqueId`). */
const MIN_ID = 12;

function hasDigit(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

/**
 * Opaque ids. `TOKEN` runs only on runs of token characters that are long enough and hold a digit (an
 * id switches between letters and digits): a match never crosses a run, and trying the pattern at every
 * word of a 64 KB result was most of the time of finding its values. The runs are found by a skipping
 * scan (long-runs.ts).
 */
function ids(text: string, out: DistinctiveValue[]): void {
  forEachLongRun(text, MIN_ID, TOKEN_CHARS, (start, end) => {
    if (hasDigit(text, start, end)) idsInRun(text, start, end, out);
  });
}

function idsInRun(text: string, from: number, to: number, out: DistinctiveValue[]): void {
  for (const m of text.slice(from, to).matchAll(TOKEN)) {
    const start = from + (m.index ?? 0);
    // Inside an e-mail address or a URL's host: those are their own kinds.
    if (text[start - 1] === '@' || text[start + m[0].length] === '@') continue;
    if (isOpaqueId(m[0])) out.push({ kind: 'id', value: m[0] });
  }
}

/**
 * The text with its URLs and e-mail addresses taken out: what prose shingles are made of. Those are
 * values of their own kinds (and a well-known URL must not count as prose when it is not counted as a URL).
 */
export function withoutAddresses(text: string): string {
  let out = text.includes('://') ? text.replace(URL_RE, ' ') : text;
  if (out.includes('@')) out = out.replace(EMAIL, ' ');
  return out;
}

/** The distinctive values of a text, in kind order, duplicates removed. */
export function distinctiveValues(text: string): DistinctiveValue[] {
  const out: DistinctiveValue[] = [];
  if (text.includes('@')) emails(text, out);
  if (text.includes('://')) urls(text, out);
  ids(text, out);
  if (out.length < 2) return out;
  const seen = new Set<string>();
  return out.filter((v) => {
    const key = `${v.kind}:${v.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
