/**
 * The client's progress token on a relayed request (issue 3): the SDK puts its own token on the
 * upstream request and reports progress through `onprogress`, so the client's token is taken off what
 * goes upstream and kept to re-tag that progress for the client. Used by relay.ts for every request and
 * by the parking bridge for the pushes it turns into `input_required` rounds.
 */
import type { Json } from '../core/index.js';

/** Strips the client's progress token from params bound upstream (the SDK adds its own). */
export function splitProgressToken(params: Json): { forwarded: Json; token?: unknown } {
  const meta = params._meta as Json | undefined;
  if (!meta || !('progressToken' in meta)) return { forwarded: params };
  const { progressToken: token, ...rest } = meta;
  const forwarded: Json = { ...params };
  if (Object.keys(rest).length > 0) forwarded._meta = rest;
  else delete forwarded._meta;
  return { forwarded, token };
}
