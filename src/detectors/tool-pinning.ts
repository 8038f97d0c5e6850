/**
 * Tool pinning (issue 10): trust on first use for every catalog definition — tools, prompts, resources,
 * resource templates and an upstream's `initialize` instructions — so a server that behaves at install
 * time and changes later (a "rug pull") is noticed. Runs first on listings, on every listing (the
 * catalog screen re-inspects whatever changed, and everything after a decision).
 * - First seen: pinned (per-field digests of the canonical form, pinning/canonical.ts), unless the
 *   engine flags it: a poisoned first definition never becomes a pin (the other detectors report it).
 *   An item first seen more than a minute after the upstream's first listing is a new item
 *   (`policy.pinning.newItems`: allowed with `tool-pinning/new-item`, or held); a new tool whose body is
 *   a pinned tool that is no longer listed is a rename (`tool-pinning/renamed`, its trust carried over).
 * - Unchanged (the trusted definition): passes, a pending change left for its decision. Changed: classified (pinning/engine-findings.ts, pinning/change-signals.ts);
 *   a change that introduces something the engine flags, a flipped safety annotation, a new host or
 *   address, a reference to another tool or a context-soliciting parameter — or any change under
 *   `mode: strict` — is held: `tool-pinning/held` (high: withheld by default), the pending definition
 *   recorded in the pin store until `watchdog pins approve` or `reject`. Any other change is re-pinned
 *   with `tool-pinning/changed` (low: an alert).
 * State lives only in the `PinStore` port, keyed by the upstream's identity (config/upstream-identity.ts).
 */
import { unknownIdentity, type PinningConfig } from '../config/index.js';
import type { CatalogView, Clock, Envelope, Pin, PinKind, PinnedDefinition, PinRef, PinStore } from '../core/index.js';
import type { LocalDetector, RawFinding } from '../pipeline/types.js';
import { changedFields, definitionOf, pinnedDefinition, sameBesides } from './pinning/canonical.js';
import { changeSignals } from './pinning/change-signals.js';
import { engineFindings, introducedRules } from './pinning/engine-findings.js';
import { itemNameOf, pinKindOf, PINNED_METHODS } from './pinning/item-ref.js';

export interface ToolPinningOptions extends PinningConfig {
  /** Upstream name → identity digest; an upstream absent here gets `unknownIdentity()`. */
  identities: ReadonlyMap<string, string>;
  /** The list-phase content rules a change is classified with (the root's configured detectors). */
  rescanners: readonly LocalDetector[];
}

export interface ToolPinningPorts {
  pins: PinStore;
  clock: Clock;
  catalog: CatalogView;
}

/** Items first seen within this long of the upstream's first listing belong to its baseline. */
export const BASELINE_MS = 60_000;
/** A pin seen again is rewritten (its `lastSeen` refreshed) at most this often. */
const TOUCH_MS = 3_600_000;

interface Seen {
  envelope: Envelope;
  ref: PinRef;
  definition: PinnedDefinition;
  now: number;
}

function label(ref: PinRef): string {
  return `${ref.kind} "${ref.item}" of upstream "${ref.upstream}"`;
}

function heldFinding(seen: Seen, fields: readonly string[], why: string, rejected = false): RawFinding {
  const { ref } = seen;
  const decision = rejected ? 'its change was rejected' : `held until approved (watchdog pins approve ${ref.upstream}/${ref.item})`;
  const what = fields.length > 0 ? ` changed ${fields.join(', ')}` : '';
  return { rule: `tool-pinning/${rejected ? 'rejected' : 'held'}`, severity: 'high', path: fields[0] ?? '', reason: `${label(ref)}${what}: ${why}; ${decision}`, match: '' };
}

function alertFinding(rule: string, seen: Seen, reason: string, path = ''): RawFinding {
  return { rule: `tool-pinning/${rule}`, severity: 'low', path, reason: `${label(seen.ref)} ${reason}`, match: '' };
}

export function createToolPinningDetector(options: ToolPinningOptions, ports: ToolPinningPorts): LocalDetector {
  const { pins } = ports;
  const put = (ref: PinRef, rest: Omit<Pin, keyof PinRef>) => pins.put({ ...ref, ...rest });

  /** Whether an item of this upstream seen now belongs to its first listing (creates the marker on first use). */
  const inBaseline = (seen: Seen): boolean => {
    const marker: PinRef = { ...seen.ref, kind: 'upstream', item: '' };
    const found = pins.get(marker);
    if (!found) {
      put(marker, { firstSeen: seen.now, lastSeen: seen.now });
      return true;
    }
    if (seen.now - found.lastSeen > TOUCH_MS) pins.put({ ...found, lastSeen: seen.now });
    return seen.now - found.firstSeen <= BASELINE_MS;
  };

  /** A pinned tool of this upstream, no longer listed, whose definition is this one's but for its name. */
  const renamedFrom = (seen: Seen): Pin | undefined => {
    if (seen.ref.kind !== 'tool') return undefined;
    const listed = new Set(ports.catalog.tools().filter((t) => t.upstream === seen.ref.upstream).map((t) => t.name));
    return pins
      .list({ upstream: seen.ref.upstream, kind: 'tool', limit: 10_000 })
      .find((p) => p.identity === seen.ref.identity && p.item !== seen.ref.item && !listed.has(p.item) && p.approved !== undefined && sameBesides(p.approved, seen.definition, ['name', 'title']));
  };

  const firstSeen = (seen: Seen): RawFinding[] => {
    // Asked first: the upstream's first listing is marked even when its first item is not pinned.
    const baseline = inBaseline(seen);
    if (engineFindings(options.rescanners, seen.envelope, seen.envelope.payload).length > 0) return [];
    const { ref, definition, now } = seen;
    const old = renamedFrom(seen);
    if (old) {
      pins.delete(old);
      put(ref, { approved: definition, firstSeen: old.firstSeen, lastSeen: now });
      return [alertFinding('renamed', seen, `is a rename of "${old.item}" (same definition); its pin carries over`)];
    }
    if (baseline) {
      put(ref, { approved: definition, firstSeen: now, lastSeen: now });
      return [];
    }
    if (options.newItems === 'hold') {
      put(ref, { pending: { ...definition, status: 'held', reason: 'new item', since: now }, firstSeen: now, lastSeen: now });
      return [heldFinding(seen, [], 'a new item after the first listing (policy.pinning.newItems: hold)')];
    }
    put(ref, { approved: definition, firstSeen: now, lastSeen: now });
    return [alertFinding('new-item', seen, 'is new since the first listing; pinned')];
  };

  const reasonsToHold = (seen: Seen, pin: Pin): string[] => {
    if (options.mode === 'strict') return ['policy.pinning.mode strict holds every change'];
    const before = definitionOf(pin.approved);
    const after = seen.envelope.payload as Record<string, unknown>;
    const introduced = introducedRules(options.rescanners, seen.envelope, before, after).map((rule) => `introduces what ${rule} flags`);
    const otherTools = ports.catalog.tools().flatMap((t) => (t.upstream === seen.ref.upstream && t.name === seen.ref.item ? [] : [t.name, t.publicName]));
    return [...introduced, ...changeSignals({ before, after, self: seen.ref.item, otherTools })];
  };

  const changed = (seen: Seen, pin: Pin): RawFinding[] => {
    const { definition, now } = seen;
    if (!pin.approved) {
      pins.put({ ...pin, pending: { ...definition, status: 'held', reason: 'new item', since: now }, lastSeen: now });
      return [heldFinding(seen, [], 'a new item, changed again while held')];
    }
    const fields = changedFields(pin.approved, definition);
    const reasons = reasonsToHold(seen, pin);
    if (reasons.length > 0) {
      const reason = reasons.join('; ');
      pins.put({ ...pin, pending: { ...definition, status: 'held', reason, since: now }, lastSeen: now });
      return [heldFinding(seen, fields, reason)];
    }
    const { pending: _dropped, ...rest } = pin;
    pins.put({ ...rest, approved: definition, lastSeen: now });
    return [alertFinding('changed', seen, `changed ${fields.join(', ')}; a plain edit, re-pinned`, fields[0])];
  };

  return {
    id: 'tool-pinning',
    phase: 'list',
    methods: PINNED_METHODS,
    directions: ['to_client'],
    inspect(ctx): RawFinding[] {
      if (options.mode === 'off') return [];
      const { envelope } = ctx;
      const kind: PinKind | undefined = pinKindOf(envelope.method);
      const item = kind && itemNameOf(kind, envelope.payload);
      if (!kind || item === undefined) return [];
      const ref: PinRef = { upstream: envelope.upstream, identity: options.identities.get(envelope.upstream) ?? unknownIdentity(), kind, item };
      const seen: Seen = { envelope, ref, definition: pinnedDefinition(envelope.payload), now: ports.clock.now() };
      const pin = pins.get(ref);
      if (!pin) return firstSeen(seen);
      // The trusted definition passes; a pending change stays for its decision (another gateway's
      // instance of the server may still serve it, and a reviewer should see what was tried).
      if (pin.approved?.digest === seen.definition.digest) {
        if (seen.now - pin.lastSeen > TOUCH_MS) pins.put({ ...pin, lastSeen: seen.now });
        return [];
      }
      if (pin.pending?.digest === seen.definition.digest) {
        const fields = pin.approved ? changedFields(pin.approved, seen.definition) : [];
        return [heldFinding(seen, fields, pin.pending.reason, pin.pending.status === 'rejected')];
      }
      return changed(seen, pin);
    },
  };
}
