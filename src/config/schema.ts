/**
 * The one definition of `watchdog.yaml`. Types come from `z.infer`; every object is strict (unknown
 * keys are errors) and each field's `.describe()` states its default. Interpolation of `${VAR}` happens
 * before validation (see load.ts); nothing reads raw YAML after this schema has parsed it.
 */
import { z } from 'zod';
import { DetectionSchema } from './detection-schema.js';
import { FlowsSchema, UpstreamLabelFields, unknownPairEnd } from './flows-schema.js';
import { RedisStoreSchema, storeProblem } from './store-target.js';
import { RateLimitsSchema } from './rate-limits-schema.js';
import { DriftSchema } from './drift-schema.js';
import { WatchSchema } from './watch-schema.js';

const UPSTREAM_NAME = /^[a-z0-9-]{1,32}$/;
const duration = z.number().positive();

const ToolFilter = z
  .object({
    allow: z.array(z.string()).optional().describe('glob patterns of upstream tool names to expose; default: all'),
    deny: z.array(z.string()).default([]).describe('glob patterns of upstream tool names to hide; default: none'),
  })
  .strict();

/** Default size limit of one upstream message: the same as gateway.maxBodyBytes and the SDK's stdio clients. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const UpstreamCommon = {
  name: z.string().regex(UPSTREAM_NAME, 'must match [a-z0-9-]{1,32}').describe('unique upstream name; also the default public prefix'),
  timeout: duration.default(60).describe('seconds a request may take; reset on progress; default 60'),
  tools: ToolFilter.default({ deny: [] }).describe('tool allow/deny globs; default: expose all'),
  prefix: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{0,32}$/, 'must match [a-zA-Z0-9_-]{0,32}')
    .optional()
    .describe('public name prefix; default: the upstream name'),
  enabled: z.boolean().default(true).describe('default true'),
  affinity: z
    .enum(['auto', 'shared', 'session'])
    .default('auto')
    .describe('connection model: one shared connection, or one per downstream session (for upstreams that sample/elicit/list roots); default auto'),
  protocol: z
    .enum(['auto', 'legacy', 'modern'])
    .default('auto')
    .describe('protocol era spoken to this upstream: probe for 2026-07-28 (auto), 2025-11-25 only (legacy), or 2026-07-28 only (modern); default auto'),
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .default(DEFAULT_MAX_MESSAGE_BYTES)
    .describe('largest message accepted from this upstream (one stdout line, one HTTP body or SSE event); a larger one fails only its request; default 10485760 (10 MiB)'),
  ...UpstreamLabelFields,
  scope: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('folders this upstream may touch through path arguments (~ and paths relative to the config file allowed); also its roots/list answer; default: no scope (only the always-denied files are refused)'),
};

const StdioUpstream = z
  .object({
    ...UpstreamCommon,
    command: z.string().min(1).describe('executable to spawn (never taken from a request)'),
    args: z.array(z.string()).default([]).describe('default []'),
    env: z.record(z.string(), z.string()).default({}).describe('extra environment on top of the allow-list; default {}'),
    cwd: z.string().optional().describe('working directory; default: the config file folder'),
  })
  .strict();

const RemoteUpstream = z
  .object({
    ...UpstreamCommon,
    url: z.url({ protocol: /^https?$/ }).describe('Streamable HTTP endpoint (http or https); falls back to HTTP+SSE on 400/404/405'),
    headers: z.record(z.string(), z.string()).default({}).describe('headers sent upstream (never the client token); default {}'),
  })
  .strict();

export const UpstreamSchema = z.union([StdioUpstream, RemoteUpstream]);

/**
 * A list that one `${VAR}` can fill (issue 13: Docker's WATCHDOG_ALLOWED_HOSTS, WATCHDOG_TOKENS): each
 * entry may hold several values separated by commas, trimmed. Safe because none of these values can
 * contain a comma (a host name, an origin, an RFC 6750 bearer token). Blank pieces are dropped where an
 * empty list is harmless (host names) and kept where it is not (tokens: `""` stays an error).
 */
function commaList<T extends z.ZodType>(item: T, options: { dropBlank: boolean; lowerCase?: boolean }) {
  const split = (value: unknown) =>
    Array.isArray(value)
      ? value.flatMap((entry) => {
          if (typeof entry !== 'string') return [entry];
          const pieces = entry.split(',').map((piece) => (options.lowerCase ? piece.trim().toLowerCase() : piece.trim()));
          return options.dropBlank ? pieces.filter((piece) => piece !== '') : pieces;
        })
      : value;
  return z.preprocess(split, z.array(item));
}

const HttpSchema = z
  .object({
    host: z.string().default('127.0.0.1').describe('bind address; default 127.0.0.1 (non-loopback requires auth.tokens)'),
    // Coerced so `port: ${PORT:-8765}` works (interpolation always yields a string).
    port: z.coerce.number().int().min(0).max(65535).default(8765).describe('default 8765; 0 picks a free port'),
    path: z.string().startsWith('/').default('/mcp').describe('default /mcp'),
    allowedHosts: commaList(z.string(), { dropBlank: true, lowerCase: true })
      .default([])
      .describe('extra Host names accepted (DNS-rebinding guard; entries may be comma-separated); default: loopback names only, and any name on a non-loopback bind'),
    allowedOrigins: commaList(z.string(), { dropBlank: true, lowerCase: true }).default([]).describe('extra Origin hosts accepted (entries may be comma-separated); default loopback only'),
    keepAliveSeconds: z.number().positive().default(15).describe('SSE keep-alive interval; default 15'),
    sessionIdleMinutes: z.number().positive().default(30).describe('idle legacy sessions are reaped after this; default 30'),
    requestTimeoutSeconds: z
      .number()
      .positive()
      .default(30)
      .describe('a whole request (headers within min(this, 15 s), then the body) must arrive within this; slower ones get 408 and the connection closes; default 30'),
    idleTimeoutSeconds: z
      .number()
      .positive()
      .default(120)
      .describe('a connection with no bytes either way for this long is closed; raised to at least twice keepAliveSeconds and the longest upstream timeout + 10 s, so streams and slow calls stay open; default 120'),
    maxSessions: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('open HTTP sessions (2025-11-25 sessions and open 2026-07-28 requests) at most; more get 429; default: from memory (64 KiB per session within a quarter of the heap limit), 64 to 10000'),
    maxSessionsPerPrincipal: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('open HTTP sessions per client token at most; default: a quarter of maxSessions (all of it without tokens)'),
  })
  .strict();

const AuthSchema = z
  .object({
    tokens: commaList(z.string().min(16, 'tokens must be at least 16 characters'), { dropBlank: false })
      .default([])
      .describe('accepted Bearer tokens (entries may be comma-separated, e.g. one per developer from one variable); default none'),
    adminTokens: commaList(z.string().min(16, 'admin tokens must be at least 16 characters'), { dropBlank: true })
      .default([])
      .describe(
        'Bearer tokens for the admin endpoints (/healthz, /readyz, /status, /metrics, /findings) on a non-loopback bind; never accepted on the MCP endpoint, and client tokens never open the admin endpoints (entries may be comma-separated; blank entries are dropped, so "${ADMIN_TOKENS:-}" may be empty); default none',
      ),
  })
  .strict();

export const GatewaySchema = z
  .object({
    http: HttpSchema.default(HttpSchema.parse({})),
    auth: AuthSchema.default({ tokens: [], adminTokens: [] }),
    watchConfig: z
      .boolean()
      .default(true)
      .describe('reload watchdog.yaml when it changes on disk (SIGHUP always reloads); default true'),
    separator: z.string().regex(/^[a-zA-Z0-9_-]{1,4}$/).default('__').describe('between prefix and tool name; default "__"'),
    prefix: z.enum(['always', 'conditional', 'never']).default('always').describe('default always'),
    maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024).describe('HTTP body limit; default 10 MiB'),
    store: z
      .string()
      .min(1)
      .superRefine((store, ctx) => {
        const problem = storeProblem(store);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe(
        'SQLite file (a path or sqlite://path), relative to the config file, or a redis:// or rediss:// URL (redis://host:6379/0) of a Valkey/Redis server shared by several gateway replicas (issue 16); default: watchdog.db in the user state folder ($XDG_STATE_HOME/mcp-watchdog, else ~/.local/state/mcp-watchdog; ~/Library/Application Support/mcp-watchdog on macOS), never the working directory',
      ),
    redis: RedisStoreSchema.optional().describe('connection options when gateway.store is a redis:// URL (auth, TLS, key prefix, the local findings file); default none'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('default info'),
    shutdownTimeout: duration
      .default(4.5)
      .describe('seconds a clean shutdown may take before every upstream process group is SIGKILLed and the gateway exits; default 4.5'),
    retention: z
      .object({
        maxRows: z.number().int().positive().default(100_000).describe('findings kept at most; default 100000'),
        maxAgeDays: z.number().positive().default(30).describe('findings older than this are deleted; default 30'),
      })
      .strict()
      .default({ maxRows: 100_000, maxAgeDays: 30 })
      .describe('audit-log retention; default 100000 rows, 30 days'),
  })
  .strict();

// Detection policy (issue 4). Rule keys are a rule id (`hidden-content/html-comment`), a detector id
// (`secrets`) or a glob (`secrets/*`, `*`); the most specific key wins. Unlisted rules follow the defaults:
// a strippable finding in a result, prompt or sampling text -> strip (issue 12, SMAC-L3); otherwise
// critical -> block, high -> redact when the finding carries a replacement else block, lower -> alert,
// and in a listing a strippable finding below high -> strip.
const PolicyAction = z.enum(['alert', 'strip', 'redact', 'block']);
const PolicyRules = z.record(z.string(), PolicyAction).default({}).describe('rule id, detector id or glob -> action; default {} (severity defaults)');
const PolicyDirections = z
  .object({
    to_client: z.object({ rules: PolicyRules }).strict().optional().describe('overrides for results, listings and server requests; default none'),
    to_upstream: z.object({ rules: PolicyRules }).strict().optional().describe('overrides for tool-call arguments going upstream; default none'),
  })
  .strict();
/** SMAC-L3 sanitiser families (issue 12); a family that is off leaves its findings to the severity defaults. */
const SANITISE_WHAT = {
  comments: 'HTML comments and markdown reference-link comments with words in them',
  invisible: 'invisible format characters outside emoji sequences, RTL text and a leading BOM, and bidi embeddings/overrides',
  ansi: 'ANSI control sequences other than colour (cursor movement, erase, concealed text, OSC titles and hyperlinks)',
  instructionBlocks: 'instruction blocks such as <IMPORTANT>…</IMPORTANT> from results, prompts and sampling text',
} as const;
const on = (what: string) => z.boolean().default(true).describe(`strip ${what}; default true`);
const override = (what: string) => z.boolean().optional().describe(`strip ${what}; default: policy.sanitise`);
const PolicySanitise = z
  .object({
    comments: on(SANITISE_WHAT.comments),
    invisible: on(SANITISE_WHAT.invisible),
    ansi: on(SANITISE_WHAT.ansi),
    instructionBlocks: on(SANITISE_WHAT.instructionBlocks),
  })
  .strict();
const PolicySanitiseOverride = z
  .object({
    comments: override(SANITISE_WHAT.comments),
    invisible: override(SANITISE_WHAT.invisible),
    ansi: override(SANITISE_WHAT.ansi),
    instructionBlocks: override(SANITISE_WHAT.instructionBlocks),
  })
  .strict();
export type SanitiseFamily = keyof typeof SANITISE_WHAT;

const PolicyUpstream = z
  .object({
    rules: PolicyRules,
    directions: PolicyDirections.default({}).describe('per-direction overrides for this upstream; default none'),
    sanitise: PolicySanitiseOverride.default({}).describe('per-family stripping for this upstream (e.g. comments: false for raw file fidelity); default: the global policy.sanitise'),
  })
  .strict();
const PolicyTool = z
  .object({
    commandArgs: z.array(z.string()).default([]).describe('argument names that carry shell commands; default []'),
    queryArgs: z.array(z.string()).default([]).describe('argument names that carry SQL or other queries; default []'),
    urlArgs: z.array(z.string()).default([]).describe('argument names that carry URLs fetched upstream; default []'),
  })
  .strict();

/** Bounds of `policy.detectors.<id>.timeoutMs`: a judge that needs more than a minute is not inline. */
export const DETECTOR_TIMEOUT_MS = { min: 1, max: 60_000 } as const;
const TIMEOUT_RANGE = `must be from ${DETECTOR_TIMEOUT_MS.min} to ${DETECTOR_TIMEOUT_MS.max} ms`;
const PolicyDetector = z
  .object({
    failMode: z
      .enum(['open', 'closed'])
      .optional()
      .describe('when the detector throws or misses its deadline: closed adds a critical finding (blocks by default), open an info finding (the message goes on); default: the detector\'s own (closed for every built-in)'),
    timeoutMs: z
      .number()
      .int()
      .min(DETECTOR_TIMEOUT_MS.min, TIMEOUT_RANGE)
      .max(DETECTOR_TIMEOUT_MS.max, TIMEOUT_RANGE)
      .optional()
      .describe('milliseconds an asynchronous inspect or observe may take (1 to 60000; a synchronous detector is never timed out); default: the detector\'s own, else 2000'),
  })
  .strict();
export type PolicyDetectorSettings = z.infer<typeof PolicyDetector>;

/**
 * Tool pinning (issue 10): every catalog definition is pinned on first use; a later change is classified
 * (detectors/tool-pinning.ts). In the policy, so a reload that changes it rebuilds inspection.
 */
const PinningSchema = z
  .object({
    mode: z
      .enum(['classify', 'strict', 'off'])
      .default('classify')
      .describe('classify: a change that introduces something the engine flags, or flips a safety annotation, is held and any other change is re-pinned with an alert; strict: every change is held; off: nothing is pinned; default classify'),
    newItems: z
      .enum(['allow', 'hold'])
      .default('allow')
      .describe('an item first seen after the upstream\'s first listing: allow (pinned, with an alert) or hold (withheld until approved); default allow'),
  })
  .strict();

export const PolicySchema = z
  .object({
    mode: z.enum(['enforce', 'monitor']).default('enforce').describe('monitor only alerts (nothing is redacted or blocked); default enforce'),
    rules: PolicyRules,
    directions: PolicyDirections.default({}).describe('per-direction overrides for every upstream; default none'),
    upstreams: z.record(z.string(), PolicyUpstream).default({}).describe('upstream name -> overrides; default {}'),
    tools: z
      .record(z.string(), PolicyTool)
      .default({})
      .describe('tool-name glob -> which arguments are commands, queries, URLs; default {} (unmatched tools: command/cmd are commands, sql/query are queries)'),
    sanitise: PolicySanitise.default(() => PolicySanitise.parse({})).describe(
      'SMAC-L3: which families of content with no legitimate use in model-facing text the default policy strips; default: all on',
    ),
    pinning: PinningSchema.default(() => PinningSchema.parse({})).describe('tool pinning (issue 10): trust on first use, changes classified and held; default classify, new items allowed'),
    exfil: z
      .object({
        allowHosts: z.array(z.string()).default([]).describe('extra hosts (or *.domain) that markdown images/links may reach with data; default [] (badge hosts are built in)'),
      })
      .strict()
      .default({ allowHosts: [] })
      .describe('exfiltration allow-list; default: built-in badge hosts only'),
    detectors: z
      .record(z.string(), PolicyDetector)
      .default({})
      .describe('detector id -> failMode and timeoutMs (detector contract v2, issue 8); an id that names no detector is an error; default {} (each detector\'s own)'),
  })
  .strict();

export type PolicyConfig = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type PinningConfig = z.infer<typeof PinningSchema>;

export const ConfigSchema = z
  .object({
    gateway: GatewaySchema.default(GatewaySchema.parse({})),
    upstreams: z.array(UpstreamSchema).default([]),
    // Detection policy; owned by the detection-engine issue, validated here so the config stays one schema.
    policy: PolicySchema.default(() => PolicySchema.parse({}))
      .describe('detection policy: mode, per-rule/upstream/direction actions, per-tool argument kinds; default enforce with severity defaults'),
    flows: FlowsSchema.default(() => FlowsSchema.parse({})).describe('cross-server flow tracking (issue 9); default on, 24h, 1000000 fingerprints'),
    detection: DetectionSchema.default(() => DetectionSchema.parse({})).describe('the semantic layer (issue 15): local scorer on, LLM judge off; default scorer only'),
    drift: DriftSchema.default(() => DriftSchema.parse({})).describe('behavioural drift of tool results per upstream × tool (issue 11); default on, 20 clean calls, 10 MADs'),
    watch: WatchSchema.default(() => WatchSchema.parse({})).describe('config and sensitive-file watch (issue 11); default on, the files in your home folder'),
    rateLimits: RateLimitsSchema.default(() => RateLimitsSchema.parse({})).describe('rate guards on tool calls and upstream notifications (issue 11); default on, generous limits'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.upstreams.forEach((u, i) => {
      const first = seen.get(u.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'name'], message: `duplicate upstream name "${u.name}" (also upstreams[${first}])` });
      } else seen.set(u.name, i);
    });
    const names = new Set(config.upstreams.map((u) => u.name));
    config.flows.pairs.forEach((pair, i) => {
      for (const end of ['from', 'to'] as const) {
        const problem = unknownPairEnd(pair[end], names);
        if (problem) ctx.addIssue({ code: 'custom', path: ['flows', 'pairs', i, end], message: problem });
      }
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type UpstreamConfig = z.infer<typeof UpstreamSchema>;
export type StdioUpstreamConfig = z.infer<typeof StdioUpstream>;
export type RemoteUpstreamConfig = z.infer<typeof RemoteUpstream>;
export type GatewayConfig = z.infer<typeof GatewaySchema>;
export type { FlowAction, FlowLabel, FlowPairConfig, FlowsConfig } from './flows-schema.js';
export type { DetectionConfig, SemanticConfig } from './detection-schema.js';
export type { RateLimit, RateLimitsConfig } from './rate-limits-schema.js';
export type { DriftConfig } from './drift-schema.js';
export type { WatchConfig } from './watch-schema.js';

export function isStdio(u: UpstreamConfig): u is StdioUpstreamConfig {
  return 'command' in u;
}
