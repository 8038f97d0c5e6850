/**
 * Public surface of the store layer: the SQLite file, the findings audit log, resumable-stream events,
 * the state stores behind the pin, flow and baseline ports and the LLM judge's verdict cache, with their
 * in-memory twins.
 */
export { MIGRATIONS, openDatabase } from './open-database.js';
export type { OpenDatabaseOptions, SqliteDatabase } from './open-database.js';
export { FindingsStore } from './findings-store.js';
export type { FindingsStoreOptions } from './findings-store.js';
export { FindingsReader, MAX_PAGE } from './findings-query.js';
export type { FindingCounts, FindingRecord, FindingsPage, FindingsQuery, RuleCount, StoredFinding } from '../core/index.js';
export { MemoryEventStore, formatEventId, parseEventId } from './event-store.js';
export type { EventStoreOptions } from './event-store.js';
export { hashMatch, maskExcerpt } from './mask-excerpt.js';
export { openWatchdogStore } from './watchdog-store.js';
export type { StoreStats, WatchdogStore, WatchdogStoreOptions } from './watchdog-store.js';
export { openStoreReader, StoreUnavailable } from './store-reader.js';
export type { StoreReader } from './store-reader.js';
export { SqlitePinStore, PIN_DEFAULTS } from './pins-store.js';
export { SqliteFlowStore, FLOW_DEFAULTS } from './flows-store.js';
export { SqliteBaselineStore, BASELINE_DEFAULTS } from './baselines-store.js';
export type { BaselineStoreOptions } from './baselines-store.js';
export { SqliteVerdictStore, VERDICT_DEFAULTS } from './verdicts-store.js';
export type { VerdictStoreOptions } from './verdicts-store.js';
export type { RetentionOptions } from './retention.js';
export { createMemoryStores, MemoryBaselineStore, MemoryFlowStore, MemoryPinStore, MemoryVerdictStore } from './memory/index.js';
export type { StateStoreOptions, StateStores } from './memory/index.js';
export { openPinFile } from './pin-file.js';
export type { PinFile } from './pin-file.js';
export { openReplicatedStores, RedisRateBuckets, ReplicatedBaselineStore, ReplicatedFlowStore, ReplicatedPinStore } from './redis/index.js';
export type { RedisConnection, ReplicatedStoreOptions, ReplicatedStores, ReplicationEvents, ReplicationState } from './redis/index.js';
