/**
 * The fingerprints a check looks up (issue 9): of every argument of an outbound call, as sent and
 * decoded (decode-argument.ts), unique, shingles of stock phrases left out, at most `MAX_CHECKED`, each
 * with the path of the argument it came from.
 * Collected into arrays kept from check to check and handed out as one fresh array of exactly the
 * fingerprints (issue 9, "Fast": a `Set`, candidate objects, an object per fingerprint and arrays
 * emptied by `length = 0` — which drops their storage — were most of a check's garbage, and a scavenge
 * in one check of 40 made its p99). Prose fingerprints are taken as their two lanes, and repeats and
 * stock phrases dropped by lanes before a string is made of them; a distinctive value's fingerprint
 * (a string) is told apart by a 64-bit hash of it, as the store's index does (a clash is as unlikely
 * as there). Not reentrant; a check is synchronous.
 */
import type { Field } from '../../pipeline/types.js';
import { argumentViews } from './decode-argument.js';
import { kindOf, textFingerprints, type FingerprintKey } from './fingerprint.js';
import { LaneSet } from './lane-set.js';
import { proseFingerprint, proseLanes } from './prose-shingles.js';

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
  /** The most fingerprints one call has kept. */
  #peak = 0;
  #path = '';
  #stock: ReadonlySet<string> = new Set();
  /** The lanes of the stock phrases' prose fingerprints (`#stock`). */
  readonly #stockLanes = new LaneSet(0);

  collect(fields: readonly Field[], key: FingerprintKey, stock: ReadonlySet<string>): CallFingerprints {
    // Sized for the largest call so far: a set grown within a call is fresh arrays.
    this.#seen.reset(Math.max(256, this.#peak));
    this.#n = 0;
    if (stock !== this.#stock) this.#useStock(stock);
    for (const field of fields) {
      if (field.role !== 'argument') continue;
      this.#path = field.path;
      for (const view of argumentViews(field.text)) textFingerprints(view, key, this);
    }
    this.#peak = Math.max(this.#peak, this.#n);
    return { fingerprints: this.#kept.slice(0, this.#n), paths: this.#paths };
  }

  /** One distinctive value's fingerprint of the current argument (the sink `textFingerprints` hands them to). */
  push(fingerprint: string): void {
    if (this.#stock.has(fingerprint) || this.#n >= MAX_CHECKED || !this.#seen.addString(fingerprint)) return;
    this.#keep(fingerprint);
  }

  /** One prose fingerprint of the current argument, as its lanes. */
  pushLanes(x: number, y: number): void {
    if (this.#stockLanes.has(x, y) || this.#n >= MAX_CHECKED || !this.#seen.add(x, y)) return;
    this.#keep(proseFingerprint(x, y));
  }

  #keep(fingerprint: string): void {
    this.#kept[this.#n] = fingerprint;
    this.#paths[this.#n] = this.#path;
    this.#n++;
  }

  #useStock(stock: ReadonlySet<string>): void {
    this.#stock = stock;
    this.#stockLanes.reset(stock.size);
    for (const fp of stock) if (kindOf(fp) === 'prose') this.#stockLanes.add(...proseLanes(fp));
  }
}
