/**
 * Bearer-token check for the HTTP front door. Tokens are compared in constant time. The client's
 * Authorization header is removed from the request once checked, so nothing downstream of this
 * (and never an upstream) can see it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function tokenChecker(tokens: readonly string[]): ((req: IncomingMessage) => boolean) | undefined {
  if (tokens.length === 0) return undefined;
  const digests = tokens.map(digest);
  return (req) => {
    const header = req.headers.authorization;
    delete req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) return false;
    const offered = digest(match[1]);
    return digests.some((d) => timingSafeEqual(d, offered));
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
