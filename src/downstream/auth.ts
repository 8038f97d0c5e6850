/**
 * Bearer-token checks for the HTTP listener: one checker for client tokens (the MCP endpoint) and one
 * for admin tokens (admin/routes.ts), so neither kind opens the other's door. Tokens are read through
 * a source function, so a reloaded config's tokens apply to the next request; their digests are
 * recomputed only when the list changes. Compared in constant time (SHA-256 digests, so lengths do not
 * leak either). The Authorization header is removed from the request once checked, so nothing
 * downstream of this (and never an upstream) can see it. Token values are never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The tokens in force now (the config's list; a new array after a reload). */
export type TokenSource = () => readonly string[];

/** True when the request carries one of the source's tokens; false when the source is empty. */
export function tokenChecker(source: TokenSource): (req: IncomingMessage) => boolean {
  let seen: readonly string[] | undefined;
  let digests: Buffer[] = [];
  return (req) => {
    const tokens = source();
    if (tokens !== seen) {
      seen = tokens;
      digests = tokens.map(digest);
    }
    const header = req.headers.authorization;
    delete req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1] || digests.length === 0) return false;
    const offered = digest(match[1]);
    let found = false;
    for (const d of digests) found = timingSafeEqual(d, offered) || found;
    return found;
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
