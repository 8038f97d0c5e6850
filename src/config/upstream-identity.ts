/**
 * Who an upstream is, beyond its name (issue 10): pins are keyed by the name plus a digest of what the
 * name runs — the command and its arguments, or the URL — so a different server configured under the
 * same name starts afresh instead of inheriting the old one's trust. The environment, headers and
 * working folder are left out: rotating a token is not a different server.
 * The origin is coarser (the executable and its package or script, or the URL's host): two upstreams of
 * one origin are instances of the same server, whose identical tools are expected (shadowing).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { isStdio, type UpstreamConfig } from './schema.js';

/** What identity and origin read of an upstream (any of the two transports). */
export type UpstreamTarget = Pick<UpstreamConfig, 'name'> & { command?: string; args?: readonly string[]; url?: string };

export function upstreamIdentity(u: UpstreamTarget): string {
  const what = u.command !== undefined ? ['stdio', u.command, ...(u.args ?? [])] : ['http', u.url ?? ''];
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

/** The identity of an upstream known only by name (scan, eval): the digest of nothing configured. */
export function unknownIdentity(): string {
  return upstreamIdentity({ name: '' });
}

export function upstreamOrigin(u: UpstreamTarget): string {
  if (u.command === undefined) {
    try {
      return `http:${new URL(u.url ?? '').host}`;
    } catch {
      return `http:${u.url ?? ''}`;
    }
  }
  // The first argument that is not a flag names the package or script (`npx -y pkg`, `node server.js`).
  const target = (u.args ?? []).find((a) => !a.startsWith('-'));
  return `stdio:${basename(u.command)}:${target === undefined ? '' : target.replace(/@[^@/]*$/, '')}`;
}

export function targetOf(u: UpstreamConfig): UpstreamTarget {
  return isStdio(u) ? { name: u.name, command: u.command, args: u.args } : { name: u.name, url: u.url };
}
