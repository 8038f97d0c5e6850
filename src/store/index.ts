/** Public surface of the store layer: the SQLite file, the findings audit log, resumable-stream events. */
export { MIGRATIONS, openDatabase } from './open-database.js';
export type { OpenDatabaseOptions, SqliteDatabase } from './open-database.js';
export { FindingsStore } from './findings-store.js';
export type { FindingCounts, FindingRecord, FindingsQuery, FindingsStoreOptions, StoredFinding } from './findings-store.js';
export { SqliteEventStore, formatEventId, parseEventId } from './event-store.js';
export type { EventStoreOptions } from './event-store.js';
export { hashMatch, maskExcerpt } from './mask-excerpt.js';
export { openWatchdogStore } from './watchdog-store.js';
export type { WatchdogStore, WatchdogStoreOptions } from './watchdog-store.js';
