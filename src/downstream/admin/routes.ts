/**
 * The admin API on the daemon's HTTP listener (issue 13): `GET /healthz`, `/readyz`, `/status`,
 * `/metrics`, `/findings`, and the pins (issue 10): `GET /pins`, `GET /pins/diff`, `POST /pins/approve`,
 * `/pins/reject`, `/pins/reset` (a JSON body, which a cross-site form cannot send). Who may ask:
 * - on a loopback bind, anyone who can reach it (the machine's own users, as for the MCP endpoint);
 * - on a non-loopback bind, a caller with an admin token (`gateway.auth.adminTokens`). Client tokens
 *   never open these endpoints, and admin tokens never open the MCP endpoint (http.ts): a developer's
 *   token must not read the team's audit log, and a monitoring system's token must not call tools.
 *   With no admin token configured there, `/status`, `/metrics` and `/findings` are closed (403) and
 *   the probes answer without details, so a container healthcheck still works.
 * Host/Origin validation (DNS rebinding) applies here as on the MCP endpoint. Token values are never
 * logged; the Authorization header is removed once checked.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findingsQuery, type AdminApi, type AdminGuard } from './admin-api.js';
import { registerConsole } from './console-routes.js';
import { registerPinRoutes } from './pin-routes.js';
import { tokenChecker, tokenPrincipal, type TokenSource } from '../auth.js';
import { consoleSessions } from './console-session.js';

export { findingsQuery } from './admin-api.js';
export type { AdminApi, AdminGuard } from './admin-api.js';

export interface AdminAccess {
  loopback: boolean;
  adminTokens: TokenSource;
}

export const ADMIN_PATHS = ['/healthz', '/readyz', '/status', '/metrics', '/findings', '/pins', '/pins/diff', '/pins/approve', '/pins/reject', '/pins/reset', '/console'] as const;

type Access = 'full' | 'probe-only' | 'denied' | 'unauthorized';

export function registerAdmin(app: FastifyInstance, api: AdminApi, access: AdminAccess): void {
  const check = tokenChecker(access.adminTokens);
  const adminPrincipal = tokenPrincipal(access.adminTokens);
  const sessions = consoleSessions();
  // The principal of a granted request: the admin token's fingerprint, `''` on a loopback bind (the root names the local user).
  const principals = new WeakMap<FastifyRequest, string>();
  const decide = (request: FastifyRequest): Access => {
    if (access.loopback) {
      delete request.raw.headers.authorization;
      principals.set(request, '');
      return 'full';
    }
    if (access.adminTokens().length === 0) return 'probe-only';
    const principal = check(request.raw);
    if (principal === undefined) return 'unauthorized';
    principals.set(request, principal);
    return 'full';
  };
  const guard: AdminGuard = (request, reply) => (refused(decide(request), reply, false) ? undefined : { principal: principals.get(request) ?? '' });
  // The console also accepts its own session cookie (console-session.ts) while its token is in force.
  const consoleGuard: AdminGuard = (request, reply) => {
    if (!access.loopback && request.headers.authorization === undefined) {
      const principal = sessions.principal(request, Date.now());
      if (principal !== undefined && adminPrincipal.current(principal)) return { principal };
      // A browser without a session is sent to sign in (still a 401).
      if (/text\/html/.test(request.headers.accept ?? '') && access.adminTokens().length > 0) {
        void reply.code(401).header('content-type', 'text/html; charset=utf-8').send('<!doctype html><title>Sign in</title><p>The console needs an admin token here: <a href="/console/login">sign in</a>.</p>\n');
        return undefined;
      }
    }
    return guard(request, reply);
  };

  app.get('/healthz', async (request, reply) => {
    if (refused(decide(request), reply, true)) return;
    return reply.code(200).send({ status: 'ok' });
  });

  app.get('/readyz', async (request, reply) => {
    const granted = decide(request);
    if (refused(granted, reply, true)) return;
    const report = api.ready();
    return reply.code(report.ready ? 200 : 503).send(granted === 'full' ? report : { ready: report.ready });
  });

  app.get('/status', async (request, reply) => {
    if (refused(decide(request), reply, false)) return;
    return reply.code(200).send(api.status());
  });

  app.get('/metrics', async (request, reply) => {
    if (refused(decide(request), reply, false)) return;
    const { contentType, body } = await api.metrics();
    return reply.code(200).header('content-type', contentType).send(body);
  });

  app.get('/findings', async (request, reply) => {
    if (refused(decide(request), reply, false)) return;
    const query = findingsQuery(request.query, Date.now());
    if ('error' in query) return reply.code(400).send({ error: query.error });
    try {
      return reply.code(200).send(api.findings(query));
    } catch (err) {
      if (err instanceof RangeError) return reply.code(400).send({ error: err.message });
      throw err;
    }
  });

  if (api.pins) registerPinRoutes(app, api.pins, guard);
  registerConsole(app, api, consoleGuard, { sessions, adminPrincipal: access.loopback ? undefined : adminPrincipal });
}

/** Sends the refusal, if any; true when the request is refused. */
export function refused(access: Access, reply: FastifyReply, probe: boolean): boolean {
  if (access === 'full' || (access === 'probe-only' && probe)) return false;
  if (access === 'unauthorized') {
    void reply.code(401).header('www-authenticate', 'Bearer realm="mcp-watchdog-admin"').send({ error: 'an admin token (gateway.auth.adminTokens) is required' });
  } else {
    void reply.code(403).send({ error: 'admin endpoints on a non-loopback bind need gateway.auth.adminTokens' });
  }
  return true;
}
