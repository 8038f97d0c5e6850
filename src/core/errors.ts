/**
 * Every error the gateway reports comes from this one table: a WDG_* code, a message template,
 * the JSON-RPC code and whether the client may see the detail. An upstream outage never blames the
 * client's request: those map to -32603/-32001-style server errors, not -32602.
 */

export const ERRORS = {
  WDG_CONFIG_INVALID: { rpc: -32603, message: 'invalid configuration', expose: false },
  WDG_UNKNOWN_TOOL: { rpc: -32602, message: 'unknown tool: {name}', expose: true },
  WDG_UNKNOWN_PROMPT: { rpc: -32602, message: 'unknown prompt: {name}', expose: true },
  WDG_UNKNOWN_RESOURCE: { rpc: -32002, message: 'resource not found: {uri}', expose: true },
  WDG_UPSTREAM_DOWN: { rpc: -32603, message: 'upstream "{upstream}" is {state}; try again later', expose: true },
  WDG_UPSTREAM_TIMEOUT: { rpc: -32001, message: 'upstream "{upstream}" did not answer within {ms} ms', expose: true },
  WDG_UPSTREAM_ERROR: { rpc: -32603, message: 'upstream "{upstream}" failed: {detail}', expose: true },
  WDG_UPSTREAM_MESSAGE_TOO_LARGE: {
    rpc: -32603,
    message: 'upstream "{upstream}" sent a {bytes}-byte message, over its limit of {limit} bytes (upstreams[].maxMessageBytes); the message was discarded',
    expose: true,
  },
  WDG_UNSUPPORTED: { rpc: -32601, message: 'method not supported by any upstream: {method}', expose: true },
  WDG_BLOCKED: { rpc: -32603, message: 'blocked by mcp-watchdog: {reason}, finding {finding}', expose: true },
  WDG_CAPABILITY_MISSING: { rpc: -32601, message: 'client did not declare the {capability} capability', expose: true },
  WDG_UNROUTABLE_REQUEST: { rpc: -32601, message: '{method} from upstream "{upstream}" cannot be relayed: {reason}', expose: true },
  WDG_REQUEST_STATE_INVALID: { rpc: -32602, message: 'Invalid or expired requestState', expose: true },
  WDG_SESSION_LIMIT: {
    rpc: -32000,
    message: 'too many open sessions: {who} limit of {limit} is reached ({setting}); close unused sessions or try again later',
    expose: true,
  },
  WDG_RATE_LIMITED: {
    rpc: -32000,
    message: 'rate limit reached: {what} ({limit}); retry in {seconds} s',
    expose: true,
  },
  WDG_INPUT_UNANSWERED: { rpc: -32001, message: '{method} was not answered by the client: {reason}', expose: true },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class WatchdogError extends Error {
  readonly code: ErrorCode;
  readonly rpc: number;
  readonly data: Record<string, unknown>;
  constructor(code: ErrorCode, vars: Record<string, string | number> = {}, data: Record<string, unknown> = {}) {
    const entry = ERRORS[code];
    super(fill(entry.message, vars));
    this.name = 'WatchdogError';
    this.code = code;
    this.rpc = entry.rpc;
    this.data = { code, ...data };
  }
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(Object.hasOwn(vars, key) ? vars[key] : `{${key}}`));
}

/** The JSON-RPC `error` object for a WatchdogError (or any other error, which is not exposed). */
export function toJsonRpcError(err: unknown): { code: number; message: string; data?: unknown } {
  if (err instanceof WatchdogError) {
    const entry = ERRORS[err.code];
    return entry.expose ? { code: err.rpc, message: err.message, data: err.data } : { code: err.rpc, message: entry.message };
  }
  return { code: -32603, message: 'internal error' };
}
