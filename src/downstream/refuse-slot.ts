/**
 * The answer to a request that would exceed a session cap (issue 7, item 6): HTTP 429 with
 * `Retry-After` and the JSON-RPC error WDG_SESSION_LIMIT naming the cap and its config key, logged
 * at warn with the principal so an operator sees who hit it.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { WatchdogError } from '../core/index.js';
import { sendWatchdogError } from './http-errors.js';
import type { CapRefusal } from './session-limits.js';

const RETRY_AFTER_SECONDS = 30;

function requestId(body: unknown): string | number | null {
  const id = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

export function refuseSlot(res: ServerResponse, log: Logger, principal: string, refusal: CapRefusal, body: unknown): void {
  log.warn({ principal, cap: refusal.setting, limit: refusal.limit }, 'session cap reached; request refused with 429');
  const who = refusal.scope === 'gateway' ? "the gateway's" : "this client token's";
  const err = new WatchdogError('WDG_SESSION_LIMIT', { who, limit: refusal.limit, setting: refusal.setting }, { limit: refusal.limit, setting: refusal.setting });
  sendWatchdogError(res, 429, err, { 'retry-after': String(RETRY_AFTER_SECONDS) }, requestId(body));
}
