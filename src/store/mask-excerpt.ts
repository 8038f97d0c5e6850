/**
 * What of a matched value may be kept: a masked excerpt and a salted hash, never the value (issue 4:
 * "secret values never reach any log"). The excerpt shows the first 3 and last 2 characters and the
 * length — enough for a person to recognise which key leaked (`AKI…LE (20 chars)`), not enough to use
 * it. Short matches (≤ 6 characters) would be mostly revealed that way, so they show only the length.
 * Characters are counted as code points; control and format characters in the visible part are
 * replaced so an excerpt cannot carry escapes or hidden text into a terminal.
 */
import { createHash } from 'node:crypto';

const SHORT = 6;

function visible(chars: readonly string[]): string {
  return chars.map((c) => (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(c) ? '?' : c)).join('');
}

export function maskExcerpt(match: string): string {
  const chars = Array.from(match);
  const n = chars.length;
  if (n <= SHORT) return `*** (${n} chars)`;
  return `${visible(chars.slice(0, 3))}…${visible(chars.slice(-2))} (${n} chars)`;
}

/** Hex SHA-256 of salt ‖ UTF-8 match: comparable across restarts of one database, useless elsewhere. */
export function hashMatch(salt: Uint8Array, match: string): string {
  return createHash('sha256').update(salt).update(match, 'utf8').digest('hex');
}
