/**
 * What the admin API and the console read (the composition root wires the running parts to it), the
 * guard both use, and the `/findings` query both accept. Apart from routes.ts so the console's routes
 * can name them without an import cycle.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ReadyReport, StatusDocument } from '../../config/index.js';
import { parseSince, SEVERITIES, type FindingsPage, type FindingsQuery } from '../../core/index.js';
import type { UpstreamCalls } from './metrics.js';
import type { PinsApi } from './pin-routes.js';

/** What the admin endpoints read; the composition root wires the running parts to it. */
export interface AdminApi {
  ready(): ReadyReport;
  status(): StatusDocument;
  metrics(): Promise<{ contentType: string; body: string }>;
  findings(query: FindingsQuery): FindingsPage;
  /** Pin review (issue 10); absent: the /pins endpoints answer 404. */
  pins?: PinsApi;
  /** Requests per upstream by outcome (the console's chart); absent: no chart. */
  calls?(): Promise<UpstreamCalls[]>;
}

/** Refuses (and answers) a request the admin rules do not let through; else names its principal. */
export type AdminGuard = (request: FastifyRequest, reply: FastifyReply) => { principal: string } | undefined;

const QuerySchema = z
  .object({
    since: z.string().max(40).optional(),
    upstream: z.string().max(64).optional(),
    severity: z.enum(SEVERITIES).optional(),
    rule: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
    cursor: z.string().max(20).optional(),
  })
  .strict();

/** `/findings?since=1h&upstream=fs&severity=high&rule=secrets&limit=100&cursor=…`; anything else is a 400. */
export function findingsQuery(raw: unknown, now: number): FindingsQuery | { error: string } {
  const parsed = QuerySchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `invalid query: ${issue?.path.join('.') || 'parameters'}: ${issue?.message ?? 'invalid'}` };
  }
  const { since, ...rest } = parsed.data;
  try {
    return { ...rest, ...(since === undefined ? {} : { since: parseSince(since, now) }) };
  } catch (err) {
    return { error: `invalid query: since: ${err instanceof Error ? err.message : String(err)}` };
  }
}
