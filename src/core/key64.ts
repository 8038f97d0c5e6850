/**
 * A string's 64-bit key as two 32-bit lanes: two FNV-1a style passes (different primes) over its code
 * units, each finished by the murmur3 finaliser. Used where a string is only ever compared by its key:
 * the flow index (fingerprints, store/fingerprint-table.ts) and the set of strings already met in one
 * check (detectors/flows/lane-set.ts). Not a keyed hash: the fingerprints it keys already are.
 */
export function key64(text: string, out: Int32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  out[0] = mixLane(a ^ text.length);
  out[1] = mixLane(b ^ Math.imul(a, 0x27d4eb2d));
}

/** The murmur3 32-bit finaliser: every input bit moves every output bit. */
function mixLane(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
