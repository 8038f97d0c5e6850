export type { Severity, Direction, Action, Finding, FindingRecord, Envelope, Verdict } from './findings.js';
export { ACTIONS, SEVERITIES, severityRank } from './findings.js';
export { ERRORS, WatchdogError, toJsonRpcError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { ownValue, ownsKey } from './own-property.js';
export * from './ports/index.js';
export { globMatches, globToRegExp } from './glob.js';
export { LIST_METHODS, PRODUCT_NAME, PRODUCT_VERSION, PUSH_METHODS } from './vocabulary.js';
export type { Json, PushMethod } from './vocabulary.js';
