/**
 * Port: flows — fingerprints of content that reached the client (a tool result, a resource), kept
 * for a while so that content later sent to another upstream (tool arguments) can be traced back to
 * where it came from. Fingerprints are opaque strings chosen by the detector (salted hashes of values
 * and of text shingles, keyed by `salt`); the store never sees the content itself.
 * Scope is the principal (issue 9): every process on one store shares the pairs, and a lookup names the
 * principal whose reads it may see.
 * Bounded by implementations: at most `maxEntries` (fingerprint, origin) pairs, the least recently
 * remembered dropped first, and none older than the time-to-live; an expired pair is never returned.
 */

/** Where remembered content came from. */
export interface FlowOrigin {
  upstream: string;
  method: string;
  tool?: string;
  session?: string;
  /** Whose request read it (`token:…`, `user:…`); absent where no client asked. */
  principal?: string;
  /** The flow labels the tool had when it was read (private, untrusted, sink); absent or empty: none. */
  labels?: readonly string[];
}

export interface FlowHit {
  fingerprint: string;
  origin: FlowOrigin;
  /** Epoch ms when it was last remembered. */
  at: number;
}

export interface FlowLookup {
  /** Only pairs remembered in this session. */
  session?: string;
  /** Only pairs remembered for this principal. */
  principal?: string;
  /** Default 100, at most 10000. */
  limit?: number;
}

export interface FlowStore {
  /**
   * The secret that keys fingerprint hashes: 32 bytes, created once per store and shared by every
   * process using it (so a value read through one gateway is recognised by another), never stored
   * beside the fingerprints of another store.
   */
  readonly salt: Uint8Array;
  /** Remembers each fingerprint as coming from `origin` at `at`; a pair seen again is refreshed (labels too). */
  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void;
  /**
   * Like `remember`, but `produce` (the fingerprints of `bytes` of delivered text) runs after the current
   * turn of the event loop, so a reply does not wait for it; `lookup` and `size` first run what waits
   * (core/pending-remembers.ts), so no read is missed.
   */
  rememberLater(origin: FlowOrigin, produce: () => readonly string[], at: number, bytes: number): void;
  /** Live pairs whose fingerprint is one of `fingerprints`, most recent first. */
  lookup(fingerprints: readonly string[], options?: FlowLookup): FlowHit[];
  size(): number;
}

/** A store that remembers nothing (a detector list built only to be described, e.g. by the config check). */
export const noFlowStore: FlowStore = { salt: new Uint8Array(32), remember: () => undefined, rememberLater: () => undefined, lookup: () => [], size: () => 0 };
