/**
 * Port: pins (issue 10, trust on first use) — what a catalog item (tool, prompt, resource, resource
 * template, or an upstream's `instructions`) looked like when it was trusted, so a later change (a
 * "rug pull") is noticed; and the change that waits for a person's decision ("held").
 * A pin is keyed by the upstream's identity — its name plus a digest of its command or URL, so a
 * different server configured under the same name starts afresh — the item's kind and the upstream's
 * own item name. The store only keeps, expires and bounds pins; what a change means is the detector's
 * business (detectors/tool-pinning.ts).
 * Every decision (approve, reject, reset) raises a counter kept in the store itself, so every process
 * sharing the store (two gateways, the CLI) sees it: running gateways poll it and re-screen their
 * catalogs, which is how an approval takes effect without a restart.
 * Bounded by implementations: at most `maxEntries` pins (the least recently written go first) and none
 * whose `lastSeen` is older than the time-to-live; an expired pin reads as absent.
 */

/** `upstream`: the per-upstream baseline marker (when the upstream's first listing was taken). */
export type PinKind = 'tool' | 'prompt' | 'resource' | 'template' | 'instructions' | 'upstream';
export const PIN_KINDS: readonly PinKind[] = ['tool', 'prompt', 'resource', 'template', 'instructions', 'upstream'];

/** Which pin: the upstream as configured (name + identity digest), the kind, the upstream's item name. */
export interface PinRef {
  upstream: string;
  /** Digest of the upstream's command and arguments, or of its URL (hex). */
  identity: string;
  kind: PinKind;
  /** The upstream's own name for the item (a URI for resources, the URI template for templates). */
  item: string;
}

/** One version of a definition, as digests of its canonical form. */
export interface PinnedDefinition {
  /** Digest of the whole canonical definition (hex). */
  digest: string;
  /** Digest per top-level field (`description`, `inputSchema`, `annotations`, …). */
  fields: Readonly<Record<string, string>>;
  /** The canonical definition (JSON), for showing what changed; not kept when longer than `MAX_PIN_DEFINITION`. */
  definition?: string;
}

/** A change waiting for a decision: `held` until someone approves or rejects it; `rejected` stays withheld. */
export interface PendingChange extends PinnedDefinition {
  status: 'held' | 'rejected';
  /** Why it was held, for people (`introduces model-instructions/important-tag`, `new item`, …). */
  reason: string;
  /** Epoch ms when it was first held. */
  since: number;
}

export interface Pin extends PinRef {
  /** The trusted definition; absent for a new item held before it was ever trusted (`newItems: hold`). */
  approved?: PinnedDefinition;
  pending?: PendingChange;
  /** Epoch ms. */
  firstSeen: number;
  /** Epoch ms; the time-to-live counts from here. */
  lastSeen: number;
}

/** Characters of a `definition` a store keeps; a longer one is stored without it (the digests stay). */
export const MAX_PIN_DEFINITION = 65_536;

export type PinStatus = 'pinned' | 'held' | 'rejected';

export interface PinQuery {
  upstream?: string;
  /** `pinned`: no pending change; `held`/`rejected`: the pending change's status. */
  status?: PinStatus;
  kind?: PinKind;
  /** Default 100, at most 10000. */
  limit?: number;
}

export interface PinStore {
  get(ref: PinRef): Pin | undefined;
  /** Inserts or replaces; the pin becomes the most recently written. */
  put(pin: Pin): void;
  /** Returns whether a pin was removed. */
  delete(ref: PinRef): boolean;
  /** Live pins matching the query, most recently written first. */
  list(query?: PinQuery): Pin[];
  /** Live pins held now. */
  size(): number;
  /** The decision counter: raised by `decided()`, in every process sharing the store. */
  decisions(): number;
  /** Raises the decision counter (after an approve, reject or reset). */
  decided(): void;
}

export function pinStatus(pin: Pick<Pin, 'pending'>): PinStatus {
  return pin.pending?.status ?? 'pinned';
}

/** The store key of a pin: its four parts joined by NUL (none of them can hold a NUL that matters). */
export function pinKey(ref: PinRef): string {
  return [ref.upstream, ref.identity, ref.kind, ref.item].join('\u0000');
}

/** A definition as a store keeps it: without its text when the text is past the cap. */
export function keptDefinition<T extends PinnedDefinition>(d: T): T {
  if (d.definition === undefined || d.definition.length <= MAX_PIN_DEFINITION) return d;
  const { definition: _dropped, ...rest } = d;
  return rest as T;
}

/** A pin as a store keeps it (both implementations use this). */
export function keptPin(pin: Pin): Pin {
  const kept: Pin = { upstream: pin.upstream, identity: pin.identity, kind: pin.kind, item: pin.item, firstSeen: pin.firstSeen, lastSeen: pin.lastSeen };
  if (pin.approved) kept.approved = keptDefinition({ ...pin.approved, fields: { ...pin.approved.fields } });
  if (pin.pending) kept.pending = keptDefinition({ ...pin.pending, fields: { ...pin.pending.fields } });
  return kept;
}

export function matchesQuery(pin: Pin, query: PinQuery): boolean {
  if (query.upstream !== undefined && pin.upstream !== query.upstream) return false;
  if (query.kind !== undefined && pin.kind !== query.kind) return false;
  return query.status === undefined || pinStatus(pin) === query.status;
}

export function listLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.trunc(limit ?? 100)), 10_000);
}

/**
 * A store that keeps nothing (where no state is wanted: the policy check, which only reads detector
 * ids): every item reads as first seen and nothing is ever held.
 */
export const noPins: PinStore = {
  get: () => undefined,
  put: () => undefined,
  delete: () => false,
  list: () => [],
  size: () => 0,
  decisions: () => 0,
  decided: () => undefined,
};
