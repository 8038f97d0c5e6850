/**
 * What `watchdog status` reads, through the root (issue 8 item 5): the status files that running
 * gateways publish beside the store, and the findings audit log opened read-only — no migration, no
 * pruning, no salt created: reading the status changes nothing in the database.
 */
import { existsSync } from 'node:fs';
import { statusFolder } from './app.js';
import { readStatusFiles } from './downstream/index.js';
import { openStoreReader, type FindingCounts, type StoredFinding } from './store/index.js';

export interface FindingsSummary {
  counts?: FindingCounts;
  recent: StoredFinding[];
  /** Why the audit log could not be read (e.g. a file no gateway has written yet). */
  error?: string;
}

export interface StatusReport {
  processes: Array<Record<string, unknown>>;
  findings: FindingsSummary;
}

export function readStatus(storePath: string, recent = 10): StatusReport {
  return { processes: readStatusFiles(statusFolder(storePath)), findings: existsSync(storePath) ? readFindings(storePath, recent) : { recent: [] } };
}

function readFindings(storePath: string, recent: number): FindingsSummary {
  let reader;
  try {
    reader = openStoreReader(storePath);
    return { counts: reader.findings.counts(), recent: reader.findings.query({ limit: recent }) };
  } catch (err) {
    return { recent: [], error: err instanceof Error ? err.message : String(err) };
  } finally {
    reader?.close();
  }
}
