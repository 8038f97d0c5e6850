/** Public surface of the store layer: the SQLite file, the findings audit log, resumable-stream events. */
export { MIGRATIONS, openDatabase } from './open-database.js';
export type { OpenDatabaseOptions, SqliteDatabase } from './open-database.js';
export { FindingsStore } from './findings-store.js';
export type { FindingsStoreOptions } from './findings-store.js';
export { FindingsReader, MAX_PAGE } from './findings-query.js';
export type { FindingCounts, FindingRecord, FindingsPage, FindingsQuery, RuleCount, StoredFinding } from '../core/index.js';
export { openReadOnlyStore, StoreUnavailable } from './read-only.js';
export type { ReadOnlyStore } from './read-only.js';
export { SqliteEventStore, formatEventId, parseEventId } from './event-store.js';
export type { EventStoreOptions } from './event-store.js';
export { hashMatch, maskExcerpt } from './mask-excerpt.js';
export { openWatchdogStore } from './watchdog-store.js';
export type { StoreStats, WatchdogStore, WatchdogStoreOptions } from './watchdog-store.js';
