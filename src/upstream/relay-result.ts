/**
 * What a relayed upstream result or failure becomes on its way back (upstream.ts): SDK failures turn
 * into the gateway's own errors (an outage never blames the client's request), and a 2026-07-28
 * result loses the upstream's identity in `_meta` (the client talks to the gateway, not this server).
 */
import { SERVER_INFO_META_KEY, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { type Json, WatchdogError } from '../core/index.js';

/** Upstream failures become gateway errors; upstream protocol errors (e.g. -32602) pass through as they are. */
export function translate(err: unknown, upstream: string, ms: number): unknown {
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.RequestTimeout) return new WatchdogError('WDG_UPSTREAM_TIMEOUT', { upstream, ms });
    if (err.code === SdkErrorCode.ConnectionClosed || err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.SendFailed)
      return new WatchdogError('WDG_UPSTREAM_DOWN', { upstream, state: 'disconnected' });
  }
  return err;
}

export function withoutServerIdentity(result: Json): Json {
  const meta = result._meta as Json | undefined;
  if (!meta || !(SERVER_INFO_META_KEY in meta)) return result;
  const { [SERVER_INFO_META_KEY]: _scrubbed, ...rest } = meta;
  const scrubbed: Json = { ...result, _meta: rest };
  if (Object.keys(rest).length === 0) delete scrubbed._meta;
  return scrubbed;
}

