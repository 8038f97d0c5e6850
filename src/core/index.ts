export type { Severity, Direction, Action, Finding, Envelope, Verdict } from './findings.js';
export { ACTIONS, SEVERITIES, severityRank } from './findings.js';
export { ERRORS, WatchdogError, toJsonRpcError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { LIST_METHODS, isListMethod } from './list-methods.js';
