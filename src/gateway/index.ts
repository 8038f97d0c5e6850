export { Gateway, SERVER_CAPABILITIES, effectivePrefix } from './gateway.js';
export type { GatewayOptions } from './gateway.js';
export { buildCatalog, routeUri, rewriteUri, parseRewrittenUri, templateMatcher } from './catalog.js';
export type { MergedCatalog, CatalogSource, Route, Rename, Screen } from './catalog.js';
export { fitName, joinName, globMatcher, MAX_NAME } from './naming.js';
export { passThrough } from './inspector.js';
export type { Inspector } from './inspector.js';
export { SessionRegistry, STDIO_SESSION } from './sessions.js';
export type { DownstreamSession, ListKind } from './sessions.js';
