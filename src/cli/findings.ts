/**
 * `watchdog findings [--since 1h] [--upstream X] [--severity high] [--rule R] [--json]` (issue 13):
 * the audit log, read from the store file with a read-only handle (the gateway may be writing; nothing
 * here migrates, prunes or creates anything). The store is found through the config without needing
 * its `${VAR}` secrets (config/locate.ts). `--json` prints what `/findings` answers:
 * `{ findings: [...], nextCursor? }`; the table shows the masked excerpt, never the matched text (the
 * store never had it), and under each finding the detector's reason and the principal whose request it was.
 */
import { ConfigError, discoverConfig, locateDaemon } from '../config/index.js';
import { parseSince, SEVERITIES, SinceError, type FindingsPage, type FindingsQuery, type Severity } from '../core/index.js';
// The root's disk reader alone (not createApp, which loads the SDK and the detectors).
import { readFindings, StoreUnavailable } from '../status-report.js';
import { flagSet, stringOption, type ParsedArgs } from './args.js';

export async function findingsCommand(args: ParsedArgs): Promise<number> {
  const query = queryFrom(args);
  if (typeof query === 'string') return fail(query);
  let store: string;
  try {
    const path = discoverConfig({ flag: stringOption(args, 'config') });
    if (!path) return fail('no config file: pass --config FILE, set $WATCHDOG_CONFIG, or create ./watchdog.yaml');
    store = locateDaemon(path).store;
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  let page: FindingsPage;
  try {
    page = readFindings(store, query);
  } catch (err) {
    if (err instanceof StoreUnavailable || err instanceof RangeError) return fail(err.message);
    throw err;
  }
  process.stdout.write(flagSet(args, 'json') ? `${JSON.stringify(page, null, 2)}\n` : formatPage(page));
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`watchdog findings: ${message}\n`);
  return 2;
}

function queryFrom(args: ParsedArgs): FindingsQuery | string {
  const query: FindingsQuery = { limit: 50 };
  const since = stringOption(args, 'since');
  if (since !== undefined) {
    try {
      query.since = parseSince(since, Date.now());
    } catch (err) {
      if (err instanceof SinceError) return `--since ${err.message}`;
      throw err;
    }
  }
  const severity = stringOption(args, 'severity');
  if (severity !== undefined) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) return `--severity must be one of ${SEVERITIES.join(', ')}`;
    query.severity = severity as Severity;
  }
  const limit = stringOption(args, 'limit');
  if (limit !== undefined) {
    if (!/^\d{1,5}$/.test(limit) || Number(limit) < 1 || Number(limit) > 10_000) return '--limit must be a number from 1 to 10000';
    query.limit = Number(limit);
  }
  for (const key of ['upstream', 'rule', 'cursor'] as const) {
    const value = stringOption(args, key);
    if (value !== undefined) query[key] = value;
  }
  return query;
}

function formatPage(page: FindingsPage): string {
  if (page.findings.length === 0) return 'no findings match\n';
  const lines = page.findings.map((f) => {
    const where = `${f.upstream}${f.tool ? ` ${f.tool}` : ''}`;
    const line = `${new Date(f.time).toISOString()}  ${f.id}  ${f.severity.padEnd(8)} ${f.action.padEnd(6)} ${f.rule}  ${where}  ${f.method} ${f.direction} ${f.path}  ${f.excerpt}`;
    const why = [f.reason, f.principal && `principal ${f.principal}`].filter(Boolean).join(' · ');
    return why ? `${line}\n    ${oneLine(why)}` : line;
  });
  if (page.nextCursor) lines.push(`more: --cursor ${page.nextCursor}`);
  return `${lines.join('\n')}\n`;
}

/** A stored reason on one line, control characters shown as spaces (it came from upstream text once). */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').slice(0, 300);
}
