/**
 * Runs each store port's contract suite against both implementations: SQLite (a real file, through the
 * one database `openDatabase` opens and migrates) and the in-memory twin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MemoryBaselineStore, MemoryFlowStore, MemoryPinStore, openDatabase, SqliteBaselineStore, SqliteFlowStore, SqlitePinStore,
  type RetentionOptions, type SqliteDatabase,
} from '../../src/store/index.js';
import { baselineStoreContract } from './baseline-store.contract.js';
import { flowStoreContract } from './flow-store.contract.js';
import { pinStoreContract } from './pin-store.contract.js';
import type { Built } from './store-harness.js';

function sqlite<S>(build: (db: SqliteDatabase, options: RetentionOptions) => S): (options: RetentionOptions) => Built<S> {
  return (options) => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-contract-'));
    const db = openDatabase(join(dir, 'watchdog.db'));
    return {
      store: build(db, options),
      close: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

function memory<S>(build: (options: RetentionOptions) => S): (options: RetentionOptions) => Built<S> {
  return (options) => ({ store: build(options), close: () => undefined });
}

pinStoreContract('SQLite', sqlite((db, o) => new SqlitePinStore(db, o)));
pinStoreContract('memory', memory((o) => new MemoryPinStore(o)));
flowStoreContract('SQLite', sqlite((db, o) => new SqliteFlowStore(db, o)));
flowStoreContract('memory', memory((o) => new MemoryFlowStore(o)));
baselineStoreContract('SQLite', sqlite((db, o) => new SqliteBaselineStore(db, o)));
baselineStoreContract('memory', memory((o) => new MemoryBaselineStore(o)));
