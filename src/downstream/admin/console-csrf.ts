/**
 * The console's defence against cross-site requests (issue 17): a state-changing POST must come from
 * the console's own origin (its `Origin` header names the host the request was sent to, or, without
 * one, `Sec-Fetch-Site: same-origin`) and carry a token bound to the principal. The token is an HMAC of
 * the principal under a key drawn when the listener starts, so it needs no storage, names nobody else,
 * and is void after a restart (the page is simply reloaded). Either check alone would do against a
 * browser; both together cover an `allowedOrigins` entry that a hostile page could share.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface CsrfTokens {
  issue(principal: string): string;
  valid(principal: string, offered: unknown): boolean;
}

export function csrfTokens(key: Buffer = randomBytes(32)): CsrfTokens {
  const issue = (principal: string) => createHmac('sha256', key).update(`console:${principal}`).digest('base64url');
  return {
    issue,
    valid(principal, offered) {
      if (typeof offered !== 'string') return false;
      const want = Buffer.from(issue(principal));
      const got = Buffer.from(offered);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}

/** True when the request's own headers say it was sent by a page of the origin it was sent to. */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  const host = headers.host;
  if (typeof origin === 'string') {
    if (origin === 'null' || host === undefined) return false;
    try {
      return new URL(origin).host.toLowerCase() === host.toLowerCase();
    } catch {
      return false;
    }
  }
  return headers['sec-fetch-site'] === 'same-origin';
}
