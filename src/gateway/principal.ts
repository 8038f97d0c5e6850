/**
 * Who a request acts for (issue 8): the identity the HTTP front door attached to an authenticated
 * request (`authInfo.clientId`: `token:<digest>` for a gateway bearer token), otherwise the local user
 * the gateway runs as (`user:<name>`: stdio, and HTTP without tokens, serve whoever runs it). Carried
 * on every envelope of a client request, so findings and state can say whose request it was.
 */
import { userInfo } from 'node:os';
import type { ServerContext } from '@modelcontextprotocol/server';

export function localPrincipal(): string {
  try {
    return `user:${userInfo().username}`;
  } catch {
    return 'user:unknown';
  }
}

export function principalOf(ctx: ServerContext, local: string): string {
  const id = ctx.http?.authInfo?.clientId;
  return typeof id === 'string' && id !== '' ? id : local;
}
