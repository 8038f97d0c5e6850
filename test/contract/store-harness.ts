/**
 * What a contract suite is given: a way to build the implementation under test with retention bounds
 * and a clock. SQLite implementations run with `pruneEvery: 1`, so the bound is exact for all.
 */
import type { RetentionOptions } from '../../src/store/index.js';

export interface Built<S> {
  store: S;
  /**
   * Releases what `make` opened (a database file, a server connection); the suite calls it after each
   * test. It may check what the test left behind first (the Redis backend compares a second replica).
   */
  close(): void | Promise<void>;
}

export type Make<S> = (options: RetentionOptions) => Built<S>;
