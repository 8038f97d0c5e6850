export { Upstream, DEFAULT_BACKOFF } from './upstream.js';
export type { UpstreamState, UpstreamHooks, UpstreamSnapshot, BackoffOptions, RelayOptions } from './upstream.js';
export type { CatalogSlice, Json } from './catalog-slice.js';
export { isTaskOnly } from './catalog-slice.js';
export { openConnection, redactUrl, GATEWAY_INFO } from './connect.js';
export type { Era, Connection, PriorDiscovery } from './connect.js';
export { ProcessTransport, INHERITED_ENV } from './process-transport.js';
export { PUSH_METHODS, asProtocolError } from './session-connections.js';
export type { PushMethod, SessionBridge } from './session-connections.js';
