/**
 * What a contract suite is given: a way to build the implementation under test with retention bounds
 * and a clock. SQLite implementations run with `pruneEvery: 1`, so the bound is exact for both.
 */
import type { RetentionOptions } from '../../src/store/index.js';

export interface Built<S> {
  store: S;
  /** Releases what `make` opened (a database file); the suite calls it after each test. */
  close(): void;
}

export type Make<S> = (options: RetentionOptions) => Built<S>;
