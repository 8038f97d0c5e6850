export type { Severity, Direction, Action, Finding, FindingRecord, Envelope, Verdict } from './findings.js';
export { SEVERITIES, severityRank } from './findings.js';
export { ERRORS, WatchdogError, toJsonRpcError } from './errors.js';
export type { ErrorCode } from './errors.js';
export * from './ports/index.js';
