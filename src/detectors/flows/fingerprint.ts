/**
 * Fingerprints of a text for flow tracking (issue 9): what the flow store keeps of content that reached
 * the client, and what a later call's arguments are compared with. Only salted hashes leave this module:
 * distinctive values (distinctive-values.ts) as SHA-256 of (salt, kind, value), prose as winnowed
 * shingle hashes keyed by seeds derived from the salt (prose-shingles.ts). The first character of a
 * fingerprint names its kind, so a hit says what kind of value flowed without the value.
 */
import { createHash, hash } from 'node:crypto';
import { addressHoles, urlMatches } from './address-spans.js';
import { eachDistinctiveValue, type ValueKind } from './distinctive-values.js';
import { eachProseFingerprint, type ProseSeeds } from './prose-shingles.js';

export type FlowValueKind = ValueKind | 'prose';

export interface FingerprintKey {
  salt: Uint8Array;
  seeds: ProseSeeds;
}

export interface Fingerprint {
  fingerprint: string;
  kind: FlowValueKind;
}

const PREFIX: Readonly<Record<FlowValueKind, string>> = { email: 'e', url: 'u', id: 'i', prose: 'p' };
const KIND_OF: Readonly<Record<string, FlowValueKind>> = { e: 'email', u: 'url', i: 'id', p: 'prose' };

/** How a finding names each kind. */
export const KIND_NAMES: Readonly<Record<FlowValueKind, string>> = {
  email: 'an e-mail address',
  url: 'a URL',
  id: 'an opaque id or token',
  prose: 'a passage of text',
};

export function fingerprintKey(salt: Uint8Array): FingerprintKey {
  const digest = createHash('sha256').update(salt).update('\u0000prose-seeds').digest();
  return { salt, seeds: { a: digest.readUInt32LE(0), b: digest.readUInt32LE(4) } };
}

/** SHA-256 of the salt and `\0kind\0value` (UTF-8); the one-shot `hash` costs a third of a `createHash` chain (issue 12, Speed). */
export function valueFingerprint(key: FingerprintKey, kind: ValueKind, value: string): string {
  const digest = hash('sha256', Buffer.concat([key.salt, Buffer.from(`\u0000${kind}\u0000${value}`, 'utf8')]), 'base64url');
  return `${PREFIX[kind]}${digest.slice(0, 22)}`;
}

/** The kind a fingerprint was made from; undefined for anything this module did not make. */
export function kindOf(fingerprint: string): FlowValueKind | undefined {
  return KIND_OF[fingerprint[0] ?? ''];
}

/** Every fingerprint of a text: its distinctive values, then the prose shingles of the rest; unique. */
export function fingerprintText(text: string, key: FingerprintKey): Fingerprint[] {
  const out: Fingerprint[] = [];
  eachFingerprint(text, key, (fp) => out.push(fp) > 0);
  return out;
}

/**
 * The fingerprints of `fingerprintText`, in order, handed to `take` until it returns false (then this
 * returns false): a caller keeping a bounded number stops the work there (issue 12, Speed).
 */
export function eachFingerprint(text: string, key: FingerprintKey, take: (fp: Fingerprint) => boolean): boolean {
  const urls = urlMatches(text);
  if (!eachDistinctiveValue(text, (v) => take({ fingerprint: valueFingerprint(key, v.kind, v.value), kind: v.kind }), urls)) return false;
  // The prose of the text without its addresses (address-spans.ts `withoutAddresses`), read around them.
  return eachProseFingerprint(text, key.seeds, (fingerprint) => take({ fingerprint, kind: 'prose' }), addressHoles(text, urls));
}
