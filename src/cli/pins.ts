/**
 * `watchdog pins list|diff|approve|reject|reset [UPSTREAM[/ITEM]] [--kind K] [--status S] [--json]`
 * (issue 10): the pin store of `gateway.store` — a SQLite file, or the Valkey/Redis server replicas
 * share (issue 16) — found through the config without needing its upstreams' `${VAR}` secrets
 * (config/locate.ts, locate-shared-store.ts), reviewed through the root's pin-review module — the same operations the
 * admin API offers. A decision raises the store's decision counter; running gateways re-screen within
 * a second. `diff` prints a held change field by field, as a line diff.
 */
import { ConfigError, discoverConfig, locateDaemon, locateSharedStore } from '../config/index.js';
import { PIN_KINDS, type PinKind, type PinStatus } from '../core/index.js';
import { decide, diffOf, parsePinTarget, pinsOf, StoreUnavailable, summarise, withPinStore, type PinDiff, type PinStoreLocation, type PinSummary, type PinTarget } from '../pin-review.js';
import { flagSet, stringOption, type ParsedArgs } from './args.js';
import { lineDiff } from './line-diff.js';

const ACTIONS = ['list', 'diff', 'approve', 'reject', 'reset'] as const;
type Action = (typeof ACTIONS)[number];
const STATUSES: readonly PinStatus[] = ['pinned', 'held', 'rejected'];
const KINDS = PIN_KINDS.filter((k) => k !== 'upstream');

export async function pinsCommand(args: ParsedArgs): Promise<number> {
  const [actionText, targetText] = args.positional as [string, string | undefined];
  if (!(ACTIONS as readonly string[]).includes(actionText)) return fail(`unknown action "${actionText}"; use one of ${ACTIONS.join(', ')}`);
  const action = actionText as Action;
  const kind = stringOption(args, 'kind');
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) return fail(`--kind must be one of ${KINDS.join(', ')}`);
  const status = stringOption(args, 'status');
  if (status !== undefined && (action !== 'list' || !(STATUSES as readonly string[]).includes(status))) return fail(`--status is for list and must be one of ${STATUSES.join(', ')}`);
  if (action !== 'list' && targetText === undefined) return fail(`${action} needs UPSTREAM or UPSTREAM/ITEM`);
  let target: PinTarget | undefined;
  try {
    target = targetText === undefined ? undefined : parsePinTarget(targetText, kind as PinKind | undefined);
    const store = pinStoreOf(args);
    const json = flagSet(args, 'json');
    return await withPinStore(store, (pins) => {
      if (action === 'list') {
        const query = { ...(target ? { upstream: target.upstream } : {}), ...(kind ? { kind: kind as PinKind } : {}), ...(status ? { status: status as PinStatus } : {}), limit: 10_000 };
        const listed = pins.list(query).filter((p) => p.kind !== 'upstream' && (target?.item === undefined || p.item === target.item)).map(summarise);
        return print(json, listed, formatList(listed));
      }
      const found = pinsOf(pins, target as PinTarget);
      if (action === 'diff') return found.length === 0 ? nothingMatched(targetText) : print(json, found.map(diffOf), found.map(diffOf).map(formatDiff).join('\n'));
      const done = decide(pins, action, target as PinTarget, Date.now());
      if (done.length === 0) return nothingMatched(targetText, action);
      return print(json, done, `${pastTense(action)} ${done.length} pin${done.length === 1 ? '' : 's'}; running gateways apply it within a second\n`);
    });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StoreUnavailable || err instanceof RangeError) return fail(err.message);
    throw err;
  }
}

function pinStoreOf(args: ParsedArgs): PinStoreLocation {
  const path = discoverConfig({ flag: stringOption(args, 'config') });
  if (!path) throw new RangeError('no config file: pass --config FILE, set $WATCHDOG_CONFIG, or create ./watchdog.yaml');
  const shared = locateSharedStore(path);
  return shared ? { redis: shared } : { sqlite: locateDaemon(path).store };
}

function pastTense(action: Exclude<Action, 'list' | 'diff'>): string {
  return { approve: 'approved', reject: 'rejected', reset: 'reset' }[action];
}

function nothingMatched(target: string | undefined, action?: Action): number {
  process.stderr.write(`watchdog pins: ${action === 'approve' || action === 'reject' ? 'no held change' : 'no pin'} matches ${target ?? ''}\n`);
  return 1;
}

function print(json: boolean, value: PinSummary[] | PinDiff[], text: string): number {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);
  return 0;
}

function formatList(pins: readonly PinSummary[]): string {
  const rows = pins.map((p) => `${p.status.padEnd(8)} ${p.kind.padEnd(12)} ${p.upstream}/${p.item}${p.reason ? `  (${p.reason})` : ''}`);
  return rows.length === 0 ? 'no pins match\n' : `${rows.join('\n')}\n`;
}

function formatDiff(d: PinDiff): string {
  const head = `${d.kind} ${d.upstream}/${d.item}: ${d.status}${d.reason ? ` — ${d.reason}` : ''}${d.heldSince ? ` (since ${d.heldSince})` : ''}`;
  if (d.fields.length === 0) return `${head}\n  no pending change\n`;
  const body = d.fields.flatMap((f) => [`--- ${f.field}`, ...lineDiff(f.before ?? '', f.after ?? '').map((l) => `  ${l}`)]);
  if (d.partial) body.push('  (a definition was too long to keep: only its digests were compared)');
  return `${head}\n${body.join('\n')}\n`;
}

function fail(message: string): number {
  process.stderr.write(`watchdog pins: ${message}\n`);
  return 2;
}
