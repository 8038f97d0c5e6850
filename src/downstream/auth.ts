/**
 * Bearer-token checks for the HTTP listener: one checker for client tokens (the MCP endpoint) and one
 * for admin tokens (admin/routes.ts), so neither kind opens the other's door. Tokens are read through
 * a source function, so a reloaded config's tokens apply to the next request; their digests are
 * recomputed only when the list changes. Compared in constant time (SHA-256 digests, so lengths do not
 * leak either). The Authorization header is removed from the request once checked, so nothing
 * downstream of this (and never an upstream) can see it. Token values are never logged.
 * Principals (issue 7 item 3, issue 8 item 8): a matching token names the request's principal,
 * `token:<first 12 hex of its SHA-256>` (a fingerprint: it names the token without revealing it). The
 * name is attached as `req.auth` (the SDK's AuthInfo, which `@modelcontextprotocol/node` hands to handlers
 * as `ctx.http.authInfo`) without the token itself; sessions, sealed requestState and parked calls are
 * bound to it. Without tokens every request is the anonymous principal `''`. `req.auth` is written with
 * `Object.assign` and read back by checking what is there, so no cast claims a shape (issue 8 item 10).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { ownValue } from '../core/index.js';

/** The tokens in force now (the config's list; a new array after a reload). */
export type TokenSource = () => readonly string[];

/** Returns the principal of a request with a valid token, else undefined. */
export type TokenCheck = (req: IncomingMessage) => string | undefined;

/** A check against the source's tokens; it never matches while the source is empty. */
export function tokenChecker(source: TokenSource): TokenCheck {
  const principalOfToken = tokenPrincipal(source);
  return (req) => {
    const header = req.headers.authorization;
    delete req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match?.[1] ? principalOfToken(match[1]) : undefined;
  };
}

/**
 * The principal of a token value among the source's tokens (the console's sign-in form, issue 17), or
 * undefined; also answers whether a principal still names a token in force (`current`), so a signed-in
 * console session ends when its token is removed from the config.
 */
export function tokenPrincipal(source: TokenSource): ((token: string) => string | undefined) & { current(principal: string): boolean } {
  let seen: readonly string[] | undefined;
  let digests: Buffer[] = [];
  const refresh = () => {
    const tokens = source();
    if (tokens !== seen) {
      seen = tokens;
      digests = tokens.map(digest);
    }
    return digests;
  };
  const name = (d: Buffer) => `token:${d.toString('hex').slice(0, 12)}`;
  const match = (token: string) => {
    const known = refresh();
    if (known.length === 0) return undefined;
    const offered = digest(token);
    // Every digest is compared (no early exit), so the time taken does not tell which entry matched.
    let found: Buffer | undefined;
    for (const d of known) if (timingSafeEqual(d, offered)) found ??= d;
    return found && name(found);
  };
  return Object.assign(match, { current: (principal: string) => refresh().some((d) => name(d) === principal) });
}

/** Marks the request as made by `principal` (the raw token is never kept). */
export function setPrincipal(req: IncomingMessage, principal: string): void {
  const auth: AuthInfo = { token: '', clientId: principal, scopes: [] };
  Object.assign(req, { auth });
}

/** The principal a request was authenticated as; `''` when the gateway has no tokens. */
export function principalOf(req: IncomingMessage): string {
  const id = ownValue(ownValue(req, 'auth'), 'clientId');
  return typeof id === 'string' ? id : '';
}

/** What the SDK is told of the caller: the principal as the client id, never a token; none without tokens. */
export function authInfoOf(req: IncomingMessage): AuthInfo | undefined {
  const clientId = principalOf(req);
  return clientId ? { token: '', clientId, scopes: [] } : undefined;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
