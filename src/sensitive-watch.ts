/**
 * The config and sensitive-file watch (issue 11): while the gateway runs, the MCP client configs and the
 * sensitive files (`watch.files`, default `WATCHED_HOME_FILES` under the home folder) are watched, and a
 * change is a finding naming the file — whoever made it (an upstream writing through its own file access,
 * outside anything the gateway relays, is the case this is for):
 * - `config-watch/mcp-servers-changed` critical: a client config whose MCP server entries were added,
 *   removed or altered — a semantic diff (client-configs/server-entries.ts), because clients rewrite their
 *   own files constantly; a change that leaves the server entries alone is no finding.
 * - `config-watch/sensitive-file-changed` high: any other watched file created, deleted or modified.
 * Each file's folder is watched (config/watch.ts: editors and clients replace files by rename), changes are
 * debounced, and a file that is not valid JSON right now keeps its last good reading (a half-written file
 * is judged when it is whole). A folder that does not exist cannot be watched: that file is skipped (best
 * effort; logged at debug).
 * The writer (issue 11): on Linux, at the first event of a change (before the debounce, while a writer
 * may still hold the file) /proc is scanned for processes holding the file open for writing
 * (file-writers.ts, bounded by `watch.writerScanMs`), and the finding's reason says "written by pid N
 * (comm)" or why no writer was named — most often that the file was closed before it was seen.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { diffServerEntries, serverEntries, watchConfigFile, type ConfigWatcher, type ServerEntries, type WatchConfig } from './config/index.js';
import { sensitivePath, WATCHED_HOME_FILES } from './core/index.js';
import type { GuardFinding } from './gateway/index.js';
import { describeWriters, findFileWriters, type WriterScan } from './file-writers.js';

export interface SensitiveWatchOptions {
  config: WatchConfig;
  /** The home folder the default files are under. */
  home: string;
  report(finding: GuardFinding): void;
  log: Logger;
  /** The upstreams' process ids, scanned first for a writer; default none. */
  upstreamPids?: () => number[];
}

export interface SensitiveWatch {
  /** The files being watched. */
  readonly files: readonly string[];
  close(): void;
}

const SCANS_PER_CHANGE = 3;

type Reading = { kind: 'servers'; entries: ServerEntries } | { kind: 'content'; digest: string };

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isClientConfig(path: string): boolean {
  return sensitivePath(path, true)?.kind === 'mcp-client-config' || path.toLowerCase().endsWith('.json');
}

/** The file as the watch compares it; undefined when a client config is not valid JSON right now. */
function read(path: string): Reading | undefined {
  const text = readText(path);
  if (!isClientConfig(path)) return { kind: 'content', digest: text === undefined ? 'absent' : createHash('sha256').update(text).digest('hex') };
  if (text === undefined) return { kind: 'servers', entries: new Map() };
  const entries = serverEntries(text, path);
  return entries && { kind: 'servers', entries };
}

function describeChanges(path: string, before: ServerEntries, after: ServerEntries): string | undefined {
  const { added, removed, altered } = diffServerEntries(before, after);
  const parts = [added.length > 0 && `added ${added.join(', ')}`, removed.length > 0 && `removed ${removed.join(', ')}`, altered.length > 0 && `altered ${altered.join(', ')}`].filter(Boolean);
  return parts.length === 0 ? undefined : `MCP server entries of ${path} changed: ${parts.join('; ')}`;
}

function finding(path: string, rule: string, severity: GuardFinding['severity'], reason: string, match: string): GuardFinding {
  return { rule, severity, action: 'alert', upstream: '*', method: 'watch/file-changed', direction: 'to_client', path, match, reason };
}

export function watchSensitiveFiles(options: SensitiveWatchOptions): SensitiveWatch {
  const files = options.config.files ?? WATCHED_HOME_FILES.map((f) => join(options.home, f));
  const watchers: ConfigWatcher[] = [];
  for (const path of files) {
    let last = read(path);
    let writer: WriterScan | undefined;
    let scans = 0;
    // The events of one change scan until a writer is found, at most SCANS_PER_CHANGE times (a burst of
    // events costs at most that many budgets); the debounced check uses what was found.
    const seen = () => {
      if (options.config.writerScanMs === 0 || (writer && writer.found.length > 0) || scans >= SCANS_PER_CHANGE) return;
      scans++;
      writer = findFileWriters(path, { budgetMs: options.config.writerScanMs, preferPids: options.upstreamPids?.() ?? [] });
    };
    const changed = () => {
      const now = read(path);
      if (!now) return options.log.debug({ file: path }, 'watched client config is not valid JSON right now; judged once it is');
      const by = options.config.writerScanMs > 0 ? `; ${describeWriters(writer)}` : '';
      writer = undefined;
      scans = 0;
      const before = last;
      last = now;
      if (before === undefined) return;
      if (before.kind === 'servers' && now.kind === 'servers') {
        const reason = describeChanges(path, before.entries, now.entries);
        if (reason) options.report(finding(path, 'config-watch/mcp-servers-changed', 'critical', `${reason}${by}`, reason));
      } else if (before.kind === 'content' && now.kind === 'content' && before.digest !== now.digest) {
        const what = before.digest === 'absent' ? 'created' : now.digest === 'absent' ? 'deleted' : 'modified';
        const kind = sensitivePath(path, true)?.what ?? 'watched file';
        options.report(finding(path, 'config-watch/sensitive-file-changed', 'high', `${kind} ${path} was ${what}${by}`, what));
      }
    };
    watchers.push(
      watchConfigFile(path, changed, {
        debounceMs: options.config.debounceMs,
        onEvent: seen,
        onError: (err) => options.log.debug({ file: path, err: err.message }, 'cannot watch this file'),
      }),
    );
  }
  return {
    files,
    close() {
      for (const w of watchers) w.close();
    },
  };
}
