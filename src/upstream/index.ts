export { Upstream, DEFAULT_BACKOFF } from './upstream.js';
export type { UpstreamState, UpstreamHooks, UpstreamSnapshot, BackoffOptions, RelayOptions } from './upstream.js';
export type { CatalogSlice, Json } from './catalog-slice.js';
export { openConnection, redactUrl, GATEWAY_INFO } from './connect.js';
export { ProcessTransport, INHERITED_ENV } from './process-transport.js';
