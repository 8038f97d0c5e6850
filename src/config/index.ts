/** Public surface of the config layer: the schema and its types, loading, discovery, errors. */
export { ConfigSchema, GatewaySchema, UpstreamSchema, isStdio } from './schema.js';
export type { Config, GatewayConfig, RemoteUpstreamConfig, StdioUpstreamConfig, UpstreamConfig } from './schema.js';
export { loadConfig, parseConfig } from './load.js';
export type { ConfigCheck, LoadOptions, LoadedConfig, ParseOptions } from './load.js';
export { discoverConfig } from './discover.js';
export type { DiscoverOptions } from './discover.js';
export { configFromCommand, upstreamNameFromCommand } from './from-command.js';
export type { CommandConfigOptions } from './from-command.js';
export { ConfigError, formatPath, formatProblem } from './errors.js';
export type { ConfigIssue, ConfigProblem, ConfigWarning } from './errors.js';
export { interpolate } from './interpolate.js';
export type { EnvMap, Interpolated } from './interpolate.js';
export { isLoopbackHost } from './normalise.js';
export { defaultStateDir, storePathOf, STORE_FILE } from './state-dir.js';
export type { StateDirOptions } from './state-dir.js';
export { suggestKey } from './key-suggestions.js';
export { CLIENT_FORMATS, ClientConfigError, importClientConfig, resolveImported } from './client-configs/index.js';
export type { ClientFormat, ImportOptions, ImportResult, ImportedUpstream, ResolvedUpstreams, SkippedEntry, VariableUse } from './client-configs/index.js';
