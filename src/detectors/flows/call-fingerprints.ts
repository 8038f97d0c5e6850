/**
 * The fingerprints a check looks up (issue 9): of every argument of an outbound call, as sent and
 * decoded (decode-argument.ts), unique, shingles of stock phrases left out, at most `MAX_CHECKED`, each
 * with the path of the argument it came from.
 * Collected into arrays kept from check to check and handed out as one fresh array of exactly the
 * fingerprints (issue 9, "Fast": a `Set`, candidate objects, an object per fingerprint and arrays
 * emptied by `length = 0` — which drops their storage — were most of a check's garbage, and a scavenge
 * in one check of 40 made its p99). Duplicates are told apart by a 64-bit hash of the fingerprint, as
 * the store's index does (a clash is as unlikely as there). Not reentrant; a check is synchronous.
 */
import type { Field } from '../../pipeline/types.js';
import { argumentViews } from './decode-argument.js';
import { textFingerprints, type FingerprintKey } from './fingerprint.js';
import { LaneSet } from './lane-set.js';

/** Argument fingerprints looked up per call at most. */
export const MAX_CHECKED = 4096;

export interface CallFingerprints {
  /** The unique fingerprints, in the order met. */
  fingerprints: string[];
  /** `paths[i]`: the argument `fingerprints[i]` came from (entries past the fingerprints are stale). */
  paths: readonly string[];
}

export class CallFingerprintCollector {
  readonly #seen = new LaneSet(256);
  /** The fingerprints kept so far in this call; entries past `#n` are stale. */
  readonly #kept: string[] = [];
  readonly #paths: string[] = [];
  #n = 0;
  #path = '';
  #stock: ReadonlySet<string> = new Set();

  collect(fields: readonly Field[], key: FingerprintKey, stock: ReadonlySet<string>): CallFingerprints {
    this.#seen.reset(256);
    this.#n = 0;
    this.#stock = stock;
    for (const field of fields) {
      if (field.role !== 'argument') continue;
      this.#path = field.path;
      for (const view of argumentViews(field.text)) textFingerprints(view, key, this);
    }
    return { fingerprints: this.#kept.slice(0, this.#n), paths: this.#paths };
  }

  /** One fingerprint of the current argument (the sink `textFingerprints` hands them to). */
  push(fingerprint: string): void {
    if (this.#stock.has(fingerprint) || this.#n >= MAX_CHECKED || !this.#seen.addString(fingerprint)) return;
    this.#kept[this.#n] = fingerprint;
    this.#paths[this.#n] = this.#path;
    this.#n++;
  }
}
