/**
 * Bearer-token check for the HTTP front door. Tokens are compared in constant time. The client's
 * Authorization header is removed from the request once checked, so nothing downstream of this
 * (and never an upstream) can see it.
 * Principals (issue 7 item 3, issue 8 item 8): a matching token names the request's principal,
 * `token:<first 12 hex of its SHA-256>` (a fingerprint: it names the token without revealing it). The
 * name is attached as `req.auth` (the SDK's AuthInfo, handed to handlers as `ctx.http.authInfo`) without
 * the token itself; sessions, sealed requestState and parked calls are bound to it. Without tokens every
 * request is the anonymous principal `''`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';

/** Returns the principal of a request with a valid token, else undefined. */
export type TokenCheck = (req: IncomingMessage) => string | undefined;

type AuthedRequest = IncomingMessage & { auth?: AuthInfo };

export function tokenChecker(tokens: readonly string[]): TokenCheck | undefined {
  if (tokens.length === 0) return undefined;
  const digests = tokens.map(digest);
  return (req) => {
    const header = req.headers.authorization;
    delete req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) return undefined;
    const offered = digest(match[1]);
    // Every digest is compared (no early exit), so the time taken does not tell which entry matched.
    let found: Buffer | undefined;
    for (const d of digests) if (timingSafeEqual(d, offered) && !found) found = d;
    return found && `token:${found.toString('hex').slice(0, 12)}`;
  };
}

/** Marks the request as made by `principal` (the raw token is never kept). */
export function setPrincipal(req: IncomingMessage, principal: string): void {
  (req as AuthedRequest).auth = { token: '', clientId: principal, scopes: [] };
}

/** The principal a request was authenticated as; `''` when the gateway has no tokens. */
export function principalOf(req: IncomingMessage): string {
  return (req as AuthedRequest).auth?.clientId ?? '';
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
