/**
 * Port: pins — what a catalog item (tool, prompt, resource, template) looked like the first time it
 * was seen, so a later change (a "rug pull") can be noticed. Keys are chosen by the detector (e.g.
 * `upstream`, kind and name joined by NUL); the store only keeps, expires and bounds them.
 * Bounded by implementations: at most `maxEntries` pins (the least recently written go first) and none
 * whose `lastSeen` is older than the time-to-live; an expired pin reads as absent.
 */

export interface Pin {
  /** Digest of the item's canonical definition (hex). */
  digest: string;
  /** The definition as first seen, for showing what changed; not kept when longer than `MAX_PIN_DEFINITION`. */
  definition?: string;
  /** Epoch ms. */
  firstSeen: number;
  /** Epoch ms; the time-to-live counts from here. */
  lastSeen: number;
}

/** Characters of `Pin.definition` a store keeps; a longer definition is stored without it (the digest stays). */
export const MAX_PIN_DEFINITION = 65_536;

export interface PinEntry extends Pin {
  key: string;
}

export interface PinStore {
  get(key: string): Pin | undefined;
  /** Inserts or replaces; the pin becomes the most recently written. */
  put(key: string, pin: Pin): void;
  /** Returns whether a pin was removed. */
  delete(key: string): boolean;
  /** Live pins, most recently written first; default limit 100, at most 10000. */
  list(limit?: number): PinEntry[];
  /** Live pins held now. */
  size(): number;
}
