/**
 * Which fingerprint hits make a flow (issue 9). A call's argument fingerprints are looked up among
 * what this principal read; the hits are then judged:
 * - a fingerprint one of whose origins is the destination upstream itself is not a flow (an id going
 *   back to the server that issued it, a sink's own data posted back to it);
 * - a fingerprint read from `COMMON_UPSTREAMS` or more upstreams is common, not evidence (boilerplate,
 *   a colleague's address every server knows);
 * - per origin (upstream and tool), one distinctive value (e-mail, URL, opaque id) is a flow, prose
 *   needs `MIN_PROSE_HITS` shingle fingerprints (at the winnowing density of prose-shingles.ts, about 2
 *   in 7 shingles, a passage of roughly a dozen words or more), so a
 *   stock phrase never counts alone.
 */
import type { FlowHit, FlowOrigin } from '../../core/index.js';
import { kindOf, type FlowValueKind } from './fingerprint.js';

export const COMMON_UPSTREAMS = 3;
export const MIN_PROSE_HITS = 2;

export interface Flow {
  origin: FlowOrigin;
  /** When the value was last read from that origin. */
  at: number;
  /** Kinds of value that flowed, distinctive ones first. */
  kinds: FlowValueKind[];
  /** The argument the first matching value was found in. */
  path: string;
  /** A matching fingerprint (for the audit log's hash; never the value). */
  fingerprint: string;
}

/** The kinds in the order a finding names them: distinctive ones first. */
const RANK: readonly FlowValueKind[] = ['email', 'id', 'url', 'prose'];

interface Group {
  origin: FlowOrigin;
  at: number;
  /** Fingerprints counted per kind. */
  counts: Record<FlowValueKind, number>;
  /** The last candidate counted: one fingerprint counts once, however many sessions read it. */
  counted: number;
  path: string;
  fingerprint: string;
}

/**
 * The hits by fingerprint, in a table keyed by a few characters of it (a fingerprint is a salted hash:
 * those are as good as a hash of it), each bucket a chain of hit indices in hit order. A `Map` keyed by
 * the fingerprint made V8 hash every one of a check's ~200 fresh fingerprint strings to find the few
 * dozen with hits (issue 9, "Fast").
 */
class HitTable {
  readonly #hits: readonly FlowHit[];
  /** Per bucket, the first hit index plus one (0: empty); per hit, the next in its bucket plus one. */
  readonly #first: Int32Array;
  readonly #next: Int32Array;
  /** Per hit: 1 once its fingerprint was judged (a fingerprint met again counts nothing more). */
  readonly #judged: Uint8Array;
  readonly #mask: number;

  constructor(hits: readonly FlowHit[]) {
    this.#hits = hits;
    const buckets = 2 ** Math.ceil(Math.log2(2 * hits.length + 2));
    this.#mask = buckets - 1;
    this.#first = new Int32Array(buckets);
    this.#next = new Int32Array(hits.length);
    this.#judged = new Uint8Array(hits.length);
    const last = new Int32Array(buckets);
    for (let h = 0; h < hits.length; h++) {
      const b = bucketOf((hits[h] as FlowHit).fingerprint) & this.#mask;
      if (this.#first[b] === 0) this.#first[b] = h + 1;
      else this.#next[(last[b] as number) - 1] = h + 1;
      last[b] = h + 1;
    }
  }

  /**
   * The hits of `fingerprint` not judged yet, written to `out` from index 0 in hit order and marked
   * judged; returns how many (none when the fingerprint was judged before).
   */
  take(fingerprint: string, out: FlowHit[]): number {
    let n = 0;
    for (let h = this.#first[bucketOf(fingerprint) & this.#mask] as number; h !== 0; h = this.#next[h - 1] as number) {
      const hit = this.#hits[h - 1] as FlowHit;
      if (hit.fingerprint !== fingerprint) continue;
      if (this.#judged[h - 1] === 1) return n;
      this.#judged[h - 1] = 1;
      out[n++] = hit;
    }
    return n;
  }
}

/** A bucket number from characters 1–6 of a fingerprint (after its kind letter). */
function bucketOf(fingerprint: string): number {
  let h = 0;
  for (let i = 1; i < 7 && i < fingerprint.length; i++) h = Math.imul(h ^ fingerprint.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

function qualifies(group: Group): boolean {
  const { email, id, url, prose } = group.counts;
  return email + id + url > 0 || prose >= MIN_PROSE_HITS;
}

function ordered(counts: Record<FlowValueKind, number>): FlowValueKind[] {
  return RANK.filter((k) => counts[k] > 0 && (k !== 'prose' || counts[k] >= MIN_PROSE_HITS));
}

/**
 * Whether a fingerprint's hits (the first `n` of `found`) can be a flow: not read from the destination,
 * nor from too many upstreams.
 */
function flowsFrom(found: readonly FlowHit[], n: number, destination: string): boolean {
  if (n === 1) return (found[0] as FlowHit).origin.upstream !== destination;
  const upstreams = new Set(found.slice(0, n).map((h) => h.origin.upstream));
  return !upstreams.has(destination) && upstreams.size < COMMON_UPSTREAMS;
}

const groupKey = (origin: FlowOrigin): string => (origin.tool === undefined ? origin.upstream : `${origin.upstream}\u0000${origin.tool}`);

/**
 * The flows among `hits` of the call's unique `fingerprints` (each sent in the argument at `paths[i]`),
 * one per origin (upstream and tool), in the order they were first met. The hits are grouped once and
 * the groups are found by the origin object while it repeats (issue 9, "Fast": a key string, a map and
 * a set per hit and per group were a fifth of a check's garbage).
 */
export function judgeFlows(fingerprints: readonly string[], paths: readonly string[], hits: readonly FlowHit[], destination: string): Flow[] {
  const table = new HitTable(hits);
  const found: FlowHit[] = [];
  const groups = new Map<string, Group>();
  let lastOrigin: FlowOrigin | undefined;
  let lastGroup: Group | undefined;
  /** Counts candidate `c` (of `kind`) for the origin of one of its hits. */
  const count = (hit: FlowHit, c: number, kind: FlowValueKind): void => {
    let group = hit.origin === lastOrigin ? lastGroup : groups.get(groupKey(hit.origin));
    if (group === undefined) {
      group = { origin: hit.origin, at: hit.at, counts: { email: 0, url: 0, id: 0, prose: 0 }, counted: -1, path: paths[c] as string, fingerprint: fingerprints[c] as string };
      groups.set(groupKey(hit.origin), group);
    }
    lastOrigin = hit.origin;
    lastGroup = group;
    if (hit.at > group.at) {
      group.origin = hit.origin;
      group.at = hit.at;
    }
    if (group.counted === c) return;
    group.counted = c;
    group.counts[kind]++;
    if (kind !== 'prose' && kindOf(group.fingerprint) === 'prose') {
      group.path = paths[c] as string;
      group.fingerprint = fingerprints[c] as string;
    }
  };
  for (let c = 0; c < fingerprints.length; c++) {
    const fingerprint = fingerprints[c] as string;
    const n = table.take(fingerprint, found);
    if (n === 0) continue;
    const kind = kindOf(fingerprint);
    if (!kind || !flowsFrom(found, n, destination)) continue;
    for (let k = 0; k < n; k++) count(found[k] as FlowHit, c, kind);
  }
  const flows: Flow[] = [];
  for (const g of groups.values()) if (qualifies(g)) flows.push({ origin: g.origin, at: g.at, kinds: ordered(g.counts), path: g.path, fingerprint: g.fingerprint });
  return flows;
}
