/**
 * Where the daemon of a config listens and keeps its store, read without the rest of the config
 * (issue 13: `watchdog status` and `watchdog findings` must work in a shell that has none of the
 * `${VAR}` secrets an upstream's env or headers need). Only `gateway.http.host/port/path`,
 * `gateway.store` (with a Redis URL, `gateway.redis.localStore`) and `gateway.auth.adminTokens` are read; each is interpolated on its own, and a
 * variable that is not set falls back to the field's default (for admin tokens: none). Nothing else
 * in the file is validated here — `watchdog run` does that.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfigError } from './errors.js';
import { interpolate, type EnvMap } from './interpolate.js';
import { isLoopbackHost } from './normalise.js';
import { storePathOf } from './state-dir.js';
import { isRedisUrl, sqlitePathOf } from './store-target.js';

export interface DaemonLocation {
  /** Base URL of the admin endpoints, e.g. `http://127.0.0.1:8765` (a wildcard bind is reached on loopback). */
  adminUrl: string;
  /** The SQLite store (absolute): `gateway.store` against the config's folder, else the state folder's. */
  store: string;
  /** Whether the daemon binds a loopback address (then its admin endpoints need no token). */
  loopback: boolean;
  /** The config's first admin token whose variables are set, if any. */
  adminToken?: string;
}

const DEFAULTS = { host: '127.0.0.1', port: 8765 };

function scalar(doc: Document, path: string[], env: EnvMap): string | undefined {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  if (typeof node.value !== 'string') return String(node.value);
  const result = interpolate(node.value, env);
  return result.ok ? result.value : undefined;
}

function firstToken(doc: Document, env: EnvMap): string | undefined {
  const node = doc.getIn(['gateway', 'auth', 'adminTokens'], true);
  if (!isSeq(node)) return undefined;
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    const result = interpolate(item.value, env);
    const token = result.ok ? result.value.split(',').map((t) => t.trim()).find((t) => t !== '') : undefined;
    if (token) return token;
  }
  return undefined;
}

/** The config file's YAML document, not validated; a ConfigError when it cannot be read or parsed. */
export function readConfigDocument(path: string): Document {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [{ path: '', message: `cannot read file (${(err as Error).message})` }]);
  }
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length > 0) throw new ConfigError(path, [{ path: '', message: `YAML syntax error: ${doc.errors[0]?.message ?? ''}` }]);
  return doc;
}

/** Reads the daemon's address from a config file; throws ConfigError only when the file cannot be read or parsed. */
export function locateDaemon(path: string, env: EnvMap = process.env): DaemonLocation {
  const doc = readConfigDocument(path);
  const host = scalar(doc, ['gateway', 'http', 'host'], env) ?? DEFAULTS.host;
  const portText = scalar(doc, ['gateway', 'http', 'port'], env);
  const port = portText !== undefined && /^\d{1,5}$/.test(portText) && Number(portText) > 0 ? Number(portText) : DEFAULTS.port;
  // Without `gateway.store`, the daemon's default: watchdog.db in the user's state folder (state-dir.ts).
  // With a redis:// store (issue 16), findings are in this replica's local file.
  const named = scalar(doc, ['gateway', 'store'], env);
  const local = isRedisUrl(named) ? scalar(doc, ['gateway', 'redis', 'localStore'], env) : named;
  const store = local ? sqlitePathOf(local) : storePathOf({}, { env });
  const adminToken = firstToken(doc, env);
  return {
    adminUrl: `http://${reachable(host)}:${port}`,
    store: store === ':memory:' ? store : resolve(dirname(resolve(path)), store),
    loopback: isLoopbackHost(host),
    ...(adminToken === undefined ? {} : { adminToken }),
  };
}

/** A wildcard bind is reached on loopback; an IPv6 literal gets brackets. */
function reachable(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
