/**
 * Fingerprints of a text for flow tracking (issue 9): what the flow store keeps of content that reached
 * the client, and what a later call's arguments are compared with. Only salted hashes leave this module:
 * distinctive values (distinctive-values.ts) as SHA-256 of (salt, kind, value), prose as winnowed
 * shingle hashes keyed by seeds derived from the salt (prose-shingles.ts). The first character of a
 * fingerprint names its kind, so a hit says what kind of value flowed without the value.
 */
import { createHash } from 'node:crypto';
import { distinctiveValues, withoutAddresses, type ValueKind } from './distinctive-values.js';
import { proseFingerprintsInto, ShingleScratch, type FingerprintSink, type ProseSeeds } from './prose-shingles.js';

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
  return { salt, seeds: { a: digest.readUInt32LE(0), b: digest.readUInt32LE(4), scratch: new ShingleScratch() } };
}

export function valueFingerprint(key: FingerprintKey, kind: ValueKind, value: string): string {
  const digest = createHash('sha256').update(key.salt).update(`\u0000${kind}\u0000${value}`, 'utf8').digest('base64url');
  return `${PREFIX[kind]}${digest.slice(0, 22)}`;
}

/** The kind a fingerprint was made from; undefined for anything this module did not make. */
export function kindOf(fingerprint: string): FlowValueKind | undefined {
  return KIND_OF[fingerprint[0] ?? ''];
}

/**
 * Every fingerprint of a text — its distinctive values, then the prose shingles of the rest; unique —
 * handed to `out` one by one: a check and an observe only need the strings (the kind is their first
 * character), and an object per fingerprint was garbage on the check's path (issue 9, "Fast").
 */
export function textFingerprints(text: string, key: FingerprintKey, out: FingerprintSink): void {
  for (const v of distinctiveValues(text)) out.push(valueFingerprint(key, v.kind, v.value));
  proseFingerprintsInto(withoutAddresses(text), key.seeds, out);
}

/** Every fingerprint of a text with its kind (`textFingerprints`). */
export function fingerprintText(text: string, key: FingerprintKey): Fingerprint[] {
  const out: string[] = [];
  textFingerprints(text, key, out);
  return out.map((fingerprint) => ({ fingerprint, kind: kindOf(fingerprint) as FlowValueKind }));
}
