/**
 * What `watchdog status` and `watchdog findings` read from disk, through the root (issue 8 item 5,
 * issue 13): the status snapshot files that running gateways publish beside the store, and the
 * findings audit log opened read-only — no migration, no pruning, no salt created: reading changes
 * nothing in the database, and a missing store is reported, not created. Only the two small modules
 * are loaded (not the front doors, the detectors or the SDK), so these commands start fast.
 */
import type { FindingsPage, FindingsQuery } from './core/index.js';
import { readStatusFiles, statusFolder } from './downstream/status-file.js';
import { openStoreReader } from './store/store-reader.js';

export { StoreUnavailable } from './store/store-reader.js';

/** The snapshot files of the gateways running on the store at `storePath`, as written (unvalidated). */
export function readStatusSnapshots(storePath: string): Array<Record<string, unknown>> {
  return storePath === ':memory:' ? [] : readStatusFiles(statusFolder(storePath));
}

/** One page of the audit log. Throws StoreUnavailable (no store, newer schema) or RangeError (bad cursor). */
export function readFindings(storePath: string, query: FindingsQuery): FindingsPage {
  const reader = openStoreReader(storePath);
  try {
    return reader.findings.page(query);
  } finally {
    reader.close();
  }
}
