/**
 * Bearer-token check for the HTTP front door. Tokens are compared in constant time. The client's
 * Authorization header is removed from the request once checked, so nothing downstream of this
 * (and never an upstream) can see it. A matching token yields the request's principal,
 * `token:<first 12 hex of its SHA-256>` (a fingerprint: it names the token without revealing it).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Returns the principal of a request with a valid token, undefined otherwise. */
export function tokenChecker(tokens: readonly string[]): ((req: IncomingMessage) => string | undefined) | undefined {
  if (tokens.length === 0) return undefined;
  const digests = tokens.map(digest);
  return (req) => {
    const header = req.headers.authorization;
    delete req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) return undefined;
    const offered = digest(match[1]);
    const found = digests.find((d) => timingSafeEqual(d, offered));
    return found && `token:${found.toString('hex').slice(0, 12)}`;
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
