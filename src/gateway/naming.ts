/**
 * Public names in the merged catalog: `<prefix><separator><name>`, fitted to `^[a-zA-Z0-9_-]{1,64}$`
 * (the names Anthropic's and OpenAI's APIs and Cursor accept). Anything longer or with other characters
 * is rewritten deterministically with a stable hash suffix, so the same upstream tool always gets the
 * same public name across restarts; nothing is ever dropped silently.
 */
import { createHash } from 'node:crypto';
import { globToRegExp } from '../core/index.js';

export const MAX_NAME = 64;
const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The name as the gateway wants it (before fitting). */
export function joinName(prefix: string, separator: string, name: string): string {
  return prefix === '' ? name : `${prefix}${separator}${name}`;
}

/** Fits a wanted name to the allowed alphabet and length; `salt` distinguishes collision rewrites. */
export function fitName(wanted: string, salt = ''): string {
  if (salt === '' && VALID.test(wanted)) return wanted;
  const cleaned = wanted.replace(/[^a-zA-Z0-9_-]/g, '_') || 'tool';
  const suffix = `_${shortHash(`${wanted}\u0000${salt}`)}`;
  return `${cleaned.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}

/** Compiles allow/deny globs (`*`, `?`) on upstream tool names. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map(globToRegExp);
  return (name) => regexes.some((r) => r.test(name));
}
