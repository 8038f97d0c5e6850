/**
 * Reviewing pins (issue 10), for `watchdog pins` and the admin API alike, on the `PinStore` port (so it
 * is ground vocabulary: the CLI reaches it through the root, the admin API through the root's wiring): list
 * them, show a held change field by field, approve it (the pending definition becomes the trusted one),
 * reject it (it stays withheld), or reset pins (forgotten: the next listing pins afresh). Every decision
 * raises the store's decision counter, which running gateways poll to re-screen their catalogs, so a
 * decision takes effect without a restart, in every process on the store.
 * A target is `<upstream>` or `<upstream>/<item>` (the item is the upstream's own name, a URI for a
 * resource; everything after the first `/`), optionally narrowed to one kind.
 */
import { pinStatus, type Pin, type PinKind, type PinStatus, type PinStore } from './ports/pin-store.js';

export interface PinTarget {
  upstream: string;
  item?: string;
  kind?: PinKind;
}

export function parsePinTarget(text: string, kind?: PinKind): PinTarget {
  const slash = text.indexOf('/');
  const upstream = slash < 0 ? text : text.slice(0, slash);
  const item = slash < 0 ? undefined : text.slice(slash + 1);
  if (upstream === '' || item === '') throw new RangeError(`"${text}" is not <upstream> or <upstream>/<item>`);
  return { upstream, ...(item === undefined ? {} : { item }), ...(kind === undefined ? {} : { kind }) };
}

/** One pin as people read it (no digests beyond a short one). */
export interface PinSummary {
  upstream: string;
  kind: PinKind;
  item: string;
  status: PinStatus;
  /** Why it is held (pending changes only). */
  reason?: string;
  /** ISO times. */
  firstSeen: string;
  lastSeen: string;
  heldSince?: string;
  /** First 12 hex of the trusted definition's digest (absent for a new item held before any trust). */
  digest?: string;
}

export function summarise(pin: Pin): PinSummary {
  return {
    upstream: pin.upstream,
    kind: pin.kind,
    item: pin.item,
    status: pinStatus(pin),
    ...(pin.pending ? { reason: pin.pending.reason, heldSince: new Date(pin.pending.since).toISOString() } : {}),
    firstSeen: new Date(pin.firstSeen).toISOString(),
    lastSeen: new Date(pin.lastSeen).toISOString(),
    ...(pin.approved ? { digest: pin.approved.digest.slice(0, 12) } : {}),
  };
}

/** Pins matching a target (never the per-upstream baseline markers). */
export function pinsOf(store: PinStore, target: PinTarget): Pin[] {
  return store
    .list({ upstream: target.upstream, limit: 10_000, ...(target.kind ? { kind: target.kind } : {}) })
    .filter((p) => p.kind !== 'upstream' && (target.item === undefined || p.item === target.item));
}

/** One top-level field of a definition, before and after (pretty JSON; absent where the field is). */
export interface FieldChange {
  field: string;
  before?: string;
  after?: string;
}

export interface PinDiff extends PinSummary {
  fields: FieldChange[];
  /** True when a definition's text was too long to keep (only its digests are compared). */
  partial: boolean;
}

function parsed(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** A held pin's change field by field; a pin without a pending change has none. */
export function diffOf(pin: Pin): PinDiff {
  const summary = summarise(pin);
  if (!pin.pending) return { ...summary, fields: [], partial: false };
  const before = parsed(pin.approved?.definition);
  const after = parsed(pin.pending.definition);
  const oldFields = pin.approved?.fields ?? {};
  const names = [...new Set([...Object.keys(oldFields), ...Object.keys(pin.pending.fields)])].sort();
  const fields = names
    .filter((f) => oldFields[f] !== pin.pending?.fields[f])
    .map((field): FieldChange => {
      const was = shown(before?.[field]);
      const is = shown(after?.[field]);
      return { field, ...(was === undefined ? {} : { before: was }), ...(is === undefined ? {} : { after: is }) };
    });
  const partial = (pin.approved !== undefined && before === undefined) || after === undefined;
  return { ...summary, fields, partial };
}

export type PinDecision = 'approve' | 'reject' | 'reset';

/**
 * Applies a decision to every pin of the target that it concerns (approve and reject: pins with a
 * pending change; reset: all, and the upstream's baseline marker when the target is a whole upstream);
 * returns what it changed, and raises the decision counter when it changed anything.
 */
export function decide(store: PinStore, decision: PinDecision, target: PinTarget, now: number): PinSummary[] {
  const done: PinSummary[] = [];
  for (const pin of pinsOf(store, target)) {
    if (decision === 'reset') {
      if (store.delete(pin)) done.push(summarise(pin));
      continue;
    }
    if (!pin.pending) continue;
    const { pending, ...rest } = pin;
    const next: Pin =
      decision === 'approve'
        ? { ...rest, approved: { digest: pending.digest, fields: pending.fields, ...(pending.definition === undefined ? {} : { definition: pending.definition }) }, lastSeen: now }
        : { ...pin, pending: { ...pending, status: 'rejected' }, lastSeen: now };
    store.put(next);
    done.push(summarise(next));
  }
  if (decision === 'reset' && target.item === undefined && target.kind === undefined) {
    for (const marker of store.list({ upstream: target.upstream, kind: 'upstream', limit: 10_000 })) store.delete(marker);
  }
  if (done.length > 0) store.decided();
  return done;
}
