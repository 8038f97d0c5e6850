/**
 * Signing in to the console off loopback (issue 17). A browser cannot add `Authorization: Bearer` to a
 * page load, so `/console/login` takes an admin token in a form (same-origin only) and answers with a
 * session cookie that holds no token: `<principal>.<expiry>.<HMAC>` under a key drawn when the
 * listener starts (a restart signs everyone out). `HttpOnly`, `SameSite=Strict`, `Path=/console`, 8 hours.
 * The cookie opens the console's routes only (never `/status`, `/pins/*` or `/mcp`), and only while
 * its principal still names an admin token in force, so removing a token from the config ends its
 * sessions at the next request. On a loopback bind nobody signs in (the console is open there).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ownValue } from '../../core/index.js';
import { sameOrigin } from './console-csrf.js';
import { CONSOLE_HEADERS, esc } from './console-layout.js';

export const SESSION_COOKIE = 'watchdog_console';
const LIFETIME_MS = 8 * 3_600_000;

export interface ConsoleSessions {
  cookie(principal: string, now: number): string;
  /** The principal of a request's valid, unexpired session cookie. */
  principal(request: FastifyRequest, now: number): string | undefined;
}

export function consoleSessions(key: Buffer = randomBytes(32)): ConsoleSessions {
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    cookie(principal, now) {
      const body = `${principal}.${now + LIFETIME_MS}`;
      return `${SESSION_COOKIE}=${body}.${mac(body)}; HttpOnly; SameSite=Strict; Path=/console; Max-Age=${LIFETIME_MS / 1000}`;
    },
    principal(request, now) {
      const header = request.headers.cookie;
      const value = typeof header === 'string' ? header.split(/;\s*/).find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1) : undefined;
      const parts = value?.split('.');
      if (parts?.length !== 3) return undefined;
      const [principal = '', expiry = '', offered = ''] = parts;
      const want = Buffer.from(mac(`${principal}.${expiry}`));
      const got = Buffer.from(offered);
      if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
      return Number(expiry) > now ? principal : undefined;
    },
  };
}

function loginPage(problem?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>Sign in · mcp-watchdog</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body><main id="main"><h1>mcp-watchdog console</h1>
${problem ? `<p class="notice" role="alert">${esc(problem)}</p>` : ''}
<form method="post" action="/console/login" class="login"><label>Admin token <input type="password" name="token" autocomplete="current-password" required autofocus></label> <button type="submit">Sign in</button></form>
</main></body></html>
`;
}

/** `GET/POST /console/login` (registered inside the console's form-parsing scope). */
export function registerSignIn(scope: FastifyInstance, sessions: ConsoleSessions, adminPrincipal: (token: string) => string | undefined): void {
  const page = (code: number, problem?: string) => ({ code, body: loginPage(problem) });
  scope.get('/console/login', async (_request, reply) => {
    const { code, body } = page(200);
    return reply.code(code).headers(CONSOLE_HEADERS).header('content-type', 'text/html; charset=utf-8').send(body);
  });
  scope.post('/console/login', async (request, reply) => {
    if (!sameOrigin(request.headers)) return reply.code(403).send({ error: 'cross-origin request refused' });
    const token = ownValue(request.body, 'token');
    const principal = typeof token === 'string' && token !== '' ? adminPrincipal(token) : undefined;
    if (principal === undefined) {
      const { code, body } = page(401, 'That is not an admin token (gateway.auth.adminTokens).');
      return reply.code(code).headers(CONSOLE_HEADERS).header('content-type', 'text/html; charset=utf-8').send(body);
    }
    return reply.code(303).header('set-cookie', sessions.cookie(principal, Date.now())).header('location', '/console').send();
  });
}
