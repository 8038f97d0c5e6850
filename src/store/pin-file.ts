/**
 * The pin store of an existing store file, for `watchdog pins` (issue 10): opened read-write, because
 * approving, rejecting and resetting are writes (and the decision counter is how running gateways learn
 * of them), but never created — a missing file is reported, as for `watchdog findings`.
 */
import { existsSync } from 'node:fs';
import { openDatabase } from './open-database.js';
import { SqlitePinStore } from './pins-store.js';
import { StoreUnavailable } from './store-reader.js';

export interface PinFile {
  pins: SqlitePinStore;
  close(): void;
}

export function openPinFile(location: string): PinFile {
  if (location !== ':memory:' && !existsSync(location)) throw new StoreUnavailable(`${location}: no store yet (the gateway creates it when it first runs)`);
  let db;
  try {
    db = openDatabase(location);
  } catch (err) {
    throw new StoreUnavailable(err instanceof Error ? err.message : String(err));
  }
  try {
    const pins = new SqlitePinStore(db);
    return { pins, close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
