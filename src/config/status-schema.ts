/**
 * The status documents (issue 13), defined once: the admin API's `/status` and `/readyz` bodies, the
 * snapshot files of stdio gateways (the same document), and `watchdog status --json`. The daemon builds
 * them; the CLI parses what it receives with these schemas, since a listener on a port is input like
 * any other. The README's "Status document" section documents every field; a test holds the two
 * together. `schema` is bumped when a field changes meaning or goes away (new fields do not bump it).
 */
import { z } from 'zod';

export const UPSTREAM_HEALTH = ['connecting', 'ready', 'backoff', 'failed', 'disabled'] as const;
export type UpstreamHealthName = (typeof UPSTREAM_HEALTH)[number];

const isoTime = z.string();
const severityCounts = z.record(z.string(), z.number().int().nonnegative());
const ruleCount = z.object({ rule: z.string(), severity: z.string(), count: z.number().int().nonnegative() });
const catalogItem = z.object({ kind: z.string(), name: z.string() });

/** The rate guard's counts for one upstream since the gateway started (issue 11). */
const UpstreamRateGuardSchema = z.object({
  /** Tool calls refused with WDG_RATE_LIMITED (any principal, any tool of this upstream). */
  callsRefused: z.number().int().nonnegative(),
  /** Log messages and `resources/updated` notifications from this upstream dropped. */
  notificationsDropped: z.number().int().nonnegative(),
  /** `list_changed` notifications from this upstream delayed (folded into one catch-up). */
  notificationsDelayed: z.number().int().nonnegative(),
  /** Runs of refusals under way: buckets whose last take was refused and whose retry wait has not run out. */
  episodesInProgress: z.number().int().nonnegative(),
});

const UpstreamStatusSchema = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  state: z.enum(UPSTREAM_HEALTH),
  pid: z.number().int().optional(),
  era: z.enum(['legacy', 'modern']).optional(),
  upSince: isoTime.optional(),
  restarts: z.number().int().nonnegative(),
  failedAttempts: z.number().int().nonnegative(),
  lastError: z.object({ message: z.string(), at: isoTime, stderr: z.array(z.string()) }).optional(),
  stderrTail: z.array(z.string()),
  counts: z.object({ tools: z.number().int(), prompts: z.number().int(), resources: z.number().int(), hiddenTaskTools: z.number().int() }),
  withheld: z.array(catalogItem),
  held: z.array(catalogItem),
  sessionConnections: z.number().int().nonnegative(),
  parkedConnections: z.number().int().nonnegative(),
  /** Absent in documents from gateways older than this field. */
  rateGuard: UpstreamRateGuardSchema.optional(),
});

/** Where the state the detectors decide with lives, and, on Valkey/Redis, how this replica stands with the others (issue 16). */
const ReplicationStatusSchema = z.object({
  /** `sqlite`: this process's file (other processes on the same file share it); `redis`: replicas on one server. */
  kind: z.enum(['sqlite', 'redis']),
  /** The store (a Redis URL without its password). */
  store: z.string(),
  /** `local`: SQLite; `in-sync`: connected and resynced; `syncing`: connected, loading; `fallback`: the server is away, serving from the local copy and local rate buckets. */
  state: z.enum(['local', 'in-sync', 'syncing', 'fallback']),
  /** This replica's id on the server. */
  replica: z.string().optional(),
  /** Writes kept for the server (it is away) and writes or rate takes sent and not answered yet. */
  pending: z.object({ unsent: z.number().int().nonnegative(), inFlight: z.number().int().nonnegative() }).optional(),
  /** Rate-bucket takes answered by the local buckets since start (server away, failing or slow). */
  localRateTakes: z.number().int().nonnegative().optional(),
  /** The last heartbeat's round trip to the server. */
  roundTripMs: z.number().nonnegative().optional(),
  lastError: z.object({ message: z.string(), at: isoTime }).optional(),
  /** The replicas heard from lately (this one first, `self`) and the config digest each announced. */
  replicas: z.array(z.object({ id: z.string(), self: z.boolean(), configHash: z.string().optional(), pid: z.number().int(), host: z.string(), at: isoTime })).optional(),
  /** Whether every replica heard from announced the same config digest. */
  configAgrees: z.boolean().optional(),
});

export const StatusDocumentSchema = z.object({
  schema: z.literal(1),
  version: z.string(),
  pid: z.number().int(),
  mode: z.enum(['http', 'stdio']),
  url: z.string().optional(),
  startedAt: isoTime,
  uptimeSeconds: z.number().nonnegative(),
  ready: z.boolean(),
  config: z.object({
    path: z.string().optional(),
    hash: z.string().optional(),
    loadedAt: isoTime,
    lastReload: z.object({ at: isoTime, ok: z.boolean(), trigger: z.string(), message: z.string() }).optional(),
  }),
  upstreams: z.array(UpstreamStatusSchema),
  catalog: z.object({ tools: z.number().int(), prompts: z.number().int(), resources: z.number().int() }),
  sessions: z.array(z.object({ transport: z.enum(['http', 'stdio']), era: z.enum(['legacy', 'modern']), count: z.number().int() })),
  findings: z.object({
    total: z.number().int().nonnegative(),
    lastHour: z.number().int().nonnegative(),
    bySeverity: severityCounts,
    byAction: severityCounts,
    byRule: z.object({ lastHour: z.array(ruleCount), total: z.array(ruleCount) }),
  }),
  store: z.object({ path: z.string(), bytes: z.number().int().nonnegative(), rows: z.object({ findings: z.number().int(), events: z.number().int() }) }),
  renames: z.array(z.object({ upstream: z.string(), kind: z.string(), original: z.string(), public: z.string(), reason: z.string() })),
  collisions: z.number().int().nonnegative(),
  pins: z.object({ awaitingApproval: z.number().int().nonnegative(), items: z.array(z.object({ upstream: z.string(), kind: z.string(), name: z.string() })) }),
  replication: ReplicationStatusSchema.optional(),
  /** The rate guard as a whole (issue 11); the per-upstream counts are under `upstreams[].rateGuard`. Absent from older gateways. */
  rateGuard: z
    .object({
      /** `rateLimits.enabled` in the config in force. */
      enabled: z.boolean(),
      /** Token buckets held in this process (for a shared store: its local fallback's, plus notification buckets). */
      buckets: z.number().int().nonnegative(),
      /** Refused calls and dropped or delayed notifications since start, every upstream (including ones since removed). */
      refused: z.object({ calls: z.number().int().nonnegative(), notifications: z.number().int().nonnegative() }),
    })
    .optional(),
});

/** `watchdog status --json`: every gateway found, how it was found, and the overall verdict. */
export const StatusReportSchema = z.object({
  schema: z.literal(1),
  /** `ready`: every enabled upstream of every gateway is ready (exit 0); `degraded`: something is not (exit 1); `unreachable`: no gateway answered and no snapshot was found (exit 2). */
  state: z.enum(['ready', 'degraded', 'unreachable']),
  gateways: z.array(
    StatusDocumentSchema.extend({
      source: z.enum(['http', 'snapshot']),
      /** For `snapshot`: when the gateway last wrote its file. */
      updatedAt: isoTime.optional(),
    }),
  ),
  problems: z.array(z.string()),
});

export const ReadyReportSchema = z.object({
  ready: z.boolean(),
  checks: z.object({
    config: z.boolean(),
    store: z.boolean(),
    upstreams: z.record(z.enum(UPSTREAM_HEALTH), z.number().int().nonnegative()),
  }),
});

export type StatusDocument = z.infer<typeof StatusDocumentSchema>;
export type UpstreamStatus = z.infer<typeof UpstreamStatusSchema>;
export type ReplicationStatus = z.infer<typeof ReplicationStatusSchema>;
export type StatusReport = z.infer<typeof StatusReportSchema>;
export type ReadyReport = z.infer<typeof ReadyReportSchema>;
