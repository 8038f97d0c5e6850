/**
 * The pin endpoints of the admin API (issue 10), beside routes.ts which guards them like `/findings`:
 * - `GET /pins?upstream=&status=pinned|held|rejected&kind=` → `{ pins: PinSummary[] }`;
 * - `GET /pins/diff?target=UPSTREAM[/ITEM]&kind=` → `{ diffs: PinDiff[] }` (field by field), 404 when no pin matches;
 * - `POST /pins/approve|reject|reset` with `{ "target": "UPSTREAM[/ITEM]", "kind"?: KIND }` →
 *   `{ changed: PinSummary[] }`, 404 when nothing was changed.
 * A decision raises the store's decision counter: this gateway and every other on the store re-screen
 * their catalogs within a second (app.ts), without a restart.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parsePinTarget, PIN_KINDS, type PinDecision, type PinDiff, type PinKind, type PinQuery, type PinSummary, type PinTarget } from '../../core/index.js';

export interface PinsApi {
  list(query: PinQuery): PinSummary[];
  diff(target: PinTarget): PinDiff[];
  /** Applies a decision for `principal` (the root records it as an audit event); `''`: the local user. */
  decide(decision: PinDecision, target: PinTarget, principal: string): PinSummary[];
}

const Kind = z.enum(PIN_KINDS.filter((k) => k !== 'upstream') as [PinKind, ...PinKind[]]);
const ListQuery = z
  .object({ upstream: z.string().max(64).optional(), status: z.enum(['pinned', 'held', 'rejected']).optional(), kind: Kind.optional(), limit: z.coerce.number().int().min(1).max(10_000).optional() })
  .strict();
const TargetInput = z.object({ target: z.string().min(1).max(2048), kind: Kind.optional() }).strict();

function problem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `invalid request: ${issue?.path.join('.') || 'parameters'}: ${issue?.message ?? 'invalid'}`;
}

export function targetOf(raw: unknown): PinTarget | { error: string } {
  const parsed = TargetInput.safeParse(raw ?? {});
  if (!parsed.success) return { error: problem(parsed.error) };
  try {
    return parsePinTarget(parsed.data.target, parsed.data.kind);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => { principal: string } | undefined;

export function registerPinRoutes(app: FastifyInstance, pins: PinsApi, guard: Guard): void {
  app.get('/pins', async (request, reply) => {
    if (!guard(request, reply)) return;
    const query = ListQuery.safeParse(request.query ?? {});
    if (!query.success) return reply.code(400).send({ error: problem(query.error) });
    return reply.code(200).send({ pins: pins.list(query.data).filter((p) => p.kind !== 'upstream') });
  });

  app.get('/pins/diff', async (request, reply) => {
    if (!guard(request, reply)) return;
    const target = targetOf(request.query);
    if ('error' in target) return reply.code(400).send({ error: target.error });
    const diffs = pins.diff(target);
    return reply.code(diffs.length > 0 ? 200 : 404).send(diffs.length > 0 ? { diffs } : { error: 'no pin matches the target' });
  });

  for (const decision of ['approve', 'reject', 'reset'] as const) {
    app.post(`/pins/${decision}`, async (request, reply) => {
      const granted = guard(request, reply);
      if (!granted) return;
      // Only JSON: a cross-site form or a "simple" request cannot send it without a CORS preflight.
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return reply.code(415).send({ error: 'send a JSON body (content-type: application/json)' });
      const target = targetOf(request.body);
      if ('error' in target) return reply.code(400).send({ error: target.error });
      const changed = pins.decide(decision, target, granted.principal);
      return reply.code(changed.length > 0 ? 200 : 404).send(changed.length > 0 ? { changed } : { error: decision === 'reset' ? 'no pin matches the target' : 'no held change matches the target' });
    });
  }
}
