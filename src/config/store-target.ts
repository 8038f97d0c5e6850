/**
 * Where the state lives (issue 16): `gateway.store` is a SQLite file (a path, or `sqlite://` + path:
 * the zero-setup default) or a `redis://` / `rediss://` URL of a Valkey or Redis server that several
 * gateway replicas share. With a URL, the replica's own findings, resumable-stream events and LLM judge
 * verdicts (issue 15) still go to a SQLite file (`gateway.redis.localStore`, default watchdog.db in the
 * state folder): an audit log of what this replica did and a cost-saving cache, not state the replicas
 * decide with (README "Scaling out").
 * The `redis` block's schema lives here, beside the one function that reads the URL; it is part of the
 * one config schema (schema.ts imports it). A password is never part of anything this module returns
 * for display: `displayStoreUrl` masks it.
 */
import { z } from 'zod';

export const RedisStoreSchema = z
  .object({
    username: z.string().min(1).optional().describe('ACL user name; default: the URL\'s, else none (the "default" user)'),
    password: z.string().min(1).optional().describe('password (write "${VALKEY_PASSWORD}"; never logged); default: the URL\'s, else none'),
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must match [A-Za-z0-9:_.-]{1,64}')
      .default('watchdog')
      .describe('prefix of every key and of the change channel; gateways sharing state use the same one; default "watchdog"'),
    tls: z
      .object({
        ca: z.string().min(1).optional().describe('PEM file of the CA that signed the server certificate, relative to the config file; default: the system CAs'),
        cert: z.string().min(1).optional().describe('PEM client certificate file (mutual TLS); default none'),
        key: z.string().min(1).optional().describe('PEM client key file (mutual TLS); default none'),
        servername: z.string().min(1).optional().describe('name the server certificate must carry; default the URL host'),
        rejectUnauthorized: z.boolean().default(true).describe('refuse a certificate that does not verify; default true'),
      })
      .strict()
      .optional()
      .describe('TLS to the server; on for rediss:// URLs or when this block is present; default off for redis://'),
    connectTimeoutMs: z.number().int().positive().default(5000).describe('a connection attempt fails after this; default 5000'),
    localStore: z
      .string()
      .min(1)
      .optional()
      .describe("this replica's SQLite file for its findings, resumable-stream events and judge verdicts, relative to the config file; default watchdog.db in the state folder"),
  })
  .strict();

export type RedisStoreConfig = z.infer<typeof RedisStoreSchema>;

const REDIS_URL = /^rediss?:\/\//i;
const SQLITE_URL = /^sqlite:\/\//i;
const ANY_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

export function isRedisUrl(store: string | undefined): boolean {
  return store !== undefined && REDIS_URL.test(store);
}

/** `sqlite:///abs/path` and `sqlite://rel/path` name the file after the scheme; a plain path is itself. */
export function sqlitePathOf(store: string): string {
  return store.replace(SQLITE_URL, '');
}

/** A schema problem with `gateway.store`, if any: a URL of a scheme the gateway cannot open, or a bad Redis URL. */
export function storeProblem(store: string): string | undefined {
  if (isRedisUrl(store)) {
    let url: URL;
    try {
      url = new URL(store);
    } catch {
      return 'not a valid redis:// URL';
    }
    if (url.hostname === '') return 'a redis:// URL needs a host (redis://host:6379/0)';
    const db = url.pathname.replace(/^\//, '');
    if (db !== '' && !/^\d{1,2}$/.test(db)) return `the database after the host must be a number 0-99, not "${db}"`;
    if (url.search !== '' || url.hash !== '') return 'put connection options under gateway.redis, not in the URL';
    return undefined;
  }
  if (ANY_URL.test(store) && !SQLITE_URL.test(store)) return `unsupported store URL "${store.split('://')[0]}://": use a SQLite path, sqlite://, redis:// or rediss://`;
  return undefined;
}

/** Where the replicated state is, as the root needs it to connect (secrets included: never log this). */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
}

/** Reads a `redis://` / `rediss://` URL (already checked by `storeProblem`), the `redis` block winning over the URL's user and password. */
export function redisTarget(store: string, options: Partial<RedisStoreConfig> = {}): RedisTarget {
  const url = new URL(store);
  const username = options.username ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
  const password = options.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password));
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    db: db === '' ? 0 : Number(db),
    tls: url.protocol.toLowerCase() === 'rediss:' || options.tls !== undefined,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

/** The store for logs and status: a Redis URL without its password (the user name stays). */
export function displayStoreUrl(store: string): string {
  if (!isRedisUrl(store)) return store;
  try {
    const url = new URL(store);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'redis://(invalid URL)';
  }
}
