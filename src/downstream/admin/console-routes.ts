/**
 * The web console (issue 17), served on the admin listener beside the admin API and guarded exactly
 * like it (routes.ts: open on a loopback bind, an admin token off it; Host/Origin validation from
 * http.ts applies to every route here too):
 * - `GET /console`, `/console/findings`, `/console/pins`, `/console/flows`: server-rendered views
 *   (console-views.ts, console-flows.ts, with the charts of console-charts.ts);
 * - `GET /console/assets/console.css|console.js`: the only two static files (no framework, no CDN, no
 *   build step), read once from the `console/` folder beside this module (the build copies it to dist);
 *   they hold no data, so they need no token;
 * - `GET/POST /console/login` off loopback: sign in with an admin token (console-session.ts);
 * - `GET /console/events`: live findings (findings-stream.ts), at most 16 streams open at once;
 * - `POST /console/pins/approve|reject`: a form (`target`, `kind`, `csrf`) acting through the same
 *   PinsApi decision as `POST /pins/approve` and `watchdog pins approve`; refused unless same-origin and
 *   carrying the principal's CSRF token (console-csrf.ts). It answers 303 back to the pins view, or JSON
 *   to a script that asks for it.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ownValue, type FindingsQuery } from '../../core/index.js';
import { csrfTokens, sameOrigin } from './console-csrf.js';
import { registerSignIn, type ConsoleSessions } from './console-session.js';
import { CONSOLE_HEADERS, page, type View } from './console-layout.js';
import { callsPerUpstream, findingsPerHour } from './console-charts.js';
import { flowsView } from './console-flows.js';
import { findingsView, pinsView, upstreamsView, type FindingFilters } from './console-views.js';
import { FeedSlots, streamFindings } from './findings-stream.js';
import { targetOf } from './pin-routes.js';
import { findingsQuery, type AdminApi, type AdminGuard } from './admin-api.js';

const ASSETS = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
} as const;

const DAY_MS = 86_400_000;
const DAY_ROWS = 5000;

function loadAssets(): Map<string, Buffer> {
  return new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(new URL(`./console/${name}`, import.meta.url))]));
}

/** The filters of a console URL (a form's empty "any" fields dropped); an invalid one is ignored. */
function filtersOf(raw: unknown): FindingFilters & Pick<FindingsQuery, 'severity'> {
  const given = ['severity', 'upstream', 'rule'].flatMap((k) => {
    const v = ownValue(raw, k);
    return typeof v === 'string' && v !== '' ? [[k, v] as const] : [];
  });
  const query = findingsQuery(Object.fromEntries(given), Date.now());
  if ('error' in query) return {};
  return { ...(query.severity ? { severity: query.severity } : {}), ...(query.upstream ? { upstream: query.upstream } : {}), ...(query.rule ? { rule: query.rule } : {}) };
}

export interface SignIn {
  sessions: ConsoleSessions;
  /** Absent on a loopback bind: nobody signs in there. */
  adminPrincipal?: (token: string) => string | undefined;
}

export function registerConsole(app: FastifyInstance, api: AdminApi, guard: AdminGuard, signIn: SignIn): void {
  const assets = loadAssets();
  const csrf = csrfTokens();
  const feeds = new FeedSlots();
  const html = (reply: FastifyReply, view: View, title: string, principal: string, body: (token: string) => string) => {
    const token = csrf.issue(principal);
    return reply.code(200).headers(CONSOLE_HEADERS).header('content-type', 'text/html; charset=utf-8').send(page({ view, title, csrf: token, body: body(token) }));
  };

  /** The last day of the audit log (bounded: the charts and the flows view summarise it). */
  const lastDay = () => api.findings({ since: Date.now() - DAY_MS, limit: DAY_ROWS }).findings;

  app.get('/console', async (request, reply) => {
    const granted = guard(request, reply);
    if (!granted) return;
    const charts = findingsPerHour(lastDay(), Date.now()) + (api.calls ? callsPerUpstream(await api.calls()) : '');
    return html(reply, 'upstreams', 'Upstreams', granted.principal, () => upstreamsView(api.status(), charts));
  });

  app.get('/console/flows', async (request, reply) => {
    const granted = guard(request, reply);
    if (granted) return html(reply, 'flows', 'Flows and session risk', granted.principal, () => flowsView(lastDay()));
  });

  app.get('/console/findings', async (request, reply) => {
    const granted = guard(request, reply);
    if (!granted) return;
    const filters = filtersOf(request.query);
    const upstreams = api.status().upstreams.map((u) => u.name);
    return html(reply, 'findings', 'Findings', granted.principal, () => findingsView(api.findings({ ...filters, limit: 100 }), filters, upstreams));
  });

  app.get('/console/pins', async (request, reply) => {
    const granted = guard(request, reply);
    if (!granted) return;
    const pins = api.pins;
    const pending = pins ? [...pins.list({ status: 'held' }), ...pins.list({ status: 'rejected' })].filter((p) => p.kind !== 'upstream') : [];
    const diffs = pins ? pending.flatMap((p) => pins.diff({ upstream: p.upstream, item: p.item, kind: p.kind })) : [];
    const done = ownValue(request.query, 'done');
    return html(reply, 'pins', 'Pins awaiting approval', granted.principal, (token) => pinsView(diffs, token, typeof done === 'string' ? `Done: ${done}` : undefined));
  });

  app.get('/console/events', async (request, reply) => {
    if (!guard(request, reply)) return;
    streamFindings(request, reply, (query) => api.findings(query), filtersOf(request.query), feeds);
  });

  // The two static files hold no data (the sign-in page needs the stylesheet): open, still Host/Origin-checked.
  app.get<{ Params: { name: string } }>('/console/assets/:name', async (request, reply) => {
    const name = request.params.name;
    const body = Object.hasOwn(ASSETS, name) ? assets.get(name) : undefined;
    if (body === undefined) return reply.code(404).send({ error: 'no such asset' });
    return reply.code(200).headers(CONSOLE_HEADERS).header('content-type', ASSETS[name as keyof typeof ASSETS]).send(body);
  });

  // Forms post url-encoded bodies; the parser lives in this scope only (the MCP endpoint never accepts them).
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
    if (signIn.adminPrincipal) registerSignIn(scope, signIn.sessions, signIn.adminPrincipal);
    for (const decision of ['approve', 'reject'] as const) {
      scope.post(`/console/pins/${decision}`, async (request, reply) => decideFromForm(request, reply, decision));
    }
  });

  async function decideFromForm(request: FastifyRequest, reply: FastifyReply, decision: 'approve' | 'reject') {
    const granted = guard(request, reply);
    if (!granted) return;
    if (!sameOrigin(request.headers)) return reply.code(403).send({ error: 'cross-origin request refused' });
    const field = (name: string) => ownValue(request.body, name);
    if (!csrf.valid(granted.principal, field('csrf'))) return reply.code(403).send({ error: 'missing or invalid CSRF token; reload the console' });
    const kind = field('kind');
    const target = targetOf({ target: field('target'), ...(kind ? { kind } : {}) });
    if ('error' in target) return reply.code(400).send({ error: target.error });
    const changed = api.pins?.decide(decision, target, granted.principal) ?? [];
    const wantsJson = /application\/json/.test(request.headers.accept ?? '');
    if (changed.length === 0) return reply.code(404).send({ error: 'no held change matches the target' });
    if (wantsJson) return reply.code(200).send({ changed });
    const what = `${decision === 'approve' ? 'approved' : 'rejected'} ${changed.map((c) => `${c.upstream}/${c.item}`).join(', ')}`;
    return reply.code(303).header('location', `/console/pins?done=${encodeURIComponent(what)}`).send();
  }
}
