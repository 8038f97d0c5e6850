/**
 * Port: flows — fingerprints of content that reached the client (a tool result, a resource), kept
 * for a while so that content later sent to another upstream (tool arguments) can be traced back to
 * where it came from. Fingerprints are opaque strings chosen by the detector (e.g. hashes of text
 * shingles); the store never sees the content itself.
 * Bounded by implementations: at most `maxEntries` (fingerprint, origin) pairs, the least recently
 * remembered dropped first, and none older than the time-to-live; an expired pair is never returned.
 */

/** Where remembered content came from. */
export interface FlowOrigin {
  upstream: string;
  method: string;
  tool?: string;
  session?: string;
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
  /** Default 100, at most 10000. */
  limit?: number;
}

export interface FlowStore {
  /** Remembers each fingerprint as coming from `origin` at `at`; a pair seen again is refreshed. */
  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void;
  /** Live pairs whose fingerprint is one of `fingerprints`, most recent first. */
  lookup(fingerprints: readonly string[], options?: FlowLookup): FlowHit[];
  size(): number;
}
