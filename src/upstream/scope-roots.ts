/**
 * An upstream with a filesystem `scope` (issue 11) is told its roots by the gateway, never by a client:
 * every connection to it (shared, per session, parked) declares the roots capability and answers
 * `roots/list` with the scope folders as `file://` URIs. A client's own roots are therefore never relayed
 * to it — before this, a client declaring roots replaced a server's sandbox (server-filesystem adopts the
 * roots it is given) — and a client's `roots/list_changed` only makes it ask again and hear the scope.
 */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import type { UpstreamConfig } from '../config/schema.js';

/** The part of a connection's options this changes (connect.ts ConnectOptions). */
interface Handshake {
  capabilities?: Record<string, unknown>;
  prepare?: (client: Client) => void;
}

export interface Root {
  uri: string;
  name: string;
}

export function scopeRoots(scope: readonly string[]): { roots: Root[] } {
  return { roots: scope.map((folder) => ({ uri: pathToFileURL(folder).href, name: basename(folder) || folder })) };
}

/** `options` for a connection to `upstream`: unchanged without a scope, else answering roots/list from it. */
export function withScopeRoots<T extends Handshake>(upstream: UpstreamConfig, options: T): T {
  const scope = upstream.scope;
  if (!scope) return options;
  const answer = scopeRoots(scope);
  return {
    ...options,
    capabilities: { ...options.capabilities, roots: { listChanged: true } },
    prepare(client: Client) {
      options.prepare?.(client);
      client.setRequestHandler('roots/list', async () => structuredClone(answer));
    },
  };
}
