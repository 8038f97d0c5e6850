/**
 * Bearer-token checks for the HTTP listener: one checker for client tokens (the MCP endpoint) and one
 * for admin tokens (admin/routes.ts), so neither kind opens the other's door. Tokens are read through
 * a source function, so a reloaded config's tokens apply to the next request; their digests are
 * recomputed only when the list changes. Compared in constant time (SHA-256 digests, so lengths do not
 * leak either). The Authorization header is removed from the request once checked, so nothing
 * downstream of this (and never an upstream) can see it. Token values are never logged.
 * A matching token yields the request's principal, `token:<first 12 hex of its SHA-256>` (a
 * fingerprint: it names the token without revealing it).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The tokens in force now (the config's list; a new array after a reload). */
export type TokenSource = () => readonly string[];

/** The principal of a request carrying one of the source's tokens; undefined otherwise (always, when the source is empty). */
export function tokenChecker(source: TokenSource): (req: IncomingMessage) => string | undefined {
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
    if (!match?.[1] || digests.length === 0) return undefined;
    const offered = digest(match[1]);
    // Every digest is compared, so the time taken does not say which token matched.
    let found: Buffer | undefined;
    for (const d of digests) if (timingSafeEqual(d, offered)) found ??= d;
    return found && `token:${found.toString('hex').slice(0, 12)}`;
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
