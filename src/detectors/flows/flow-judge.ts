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

/** What a fingerprint's hits are replaced with once judged. */
const COUNTED: readonly FlowHit[] = Object.freeze([]);

/** Each fingerprint's hits: the hit itself when it is the only one (most are), else a list. */
function hitsByFingerprint(hits: readonly FlowHit[]): Map<string, FlowHit | readonly FlowHit[]> {
  const out = new Map<string, FlowHit | readonly FlowHit[]>();
  for (const hit of hits) {
    const had = out.get(hit.fingerprint);
    if (had === undefined) out.set(hit.fingerprint, hit);
    else if (Array.isArray(had)) (had as FlowHit[]).push(hit);
    else out.set(hit.fingerprint, [had as FlowHit, hit]);
  }
  return out;
}

function qualifies(group: Group): boolean {
  const { email, id, url, prose } = group.counts;
  return email + id + url > 0 || prose >= MIN_PROSE_HITS;
}

function ordered(counts: Record<FlowValueKind, number>): FlowValueKind[] {
  return RANK.filter((k) => counts[k] > 0 && (k !== 'prose' || counts[k] >= MIN_PROSE_HITS));
}

/** Whether a fingerprint's hits can be a flow: not read from the destination, nor from too many upstreams. */
function flowsFrom(found: FlowHit | readonly FlowHit[], destination: string): boolean {
  if (!Array.isArray(found)) return (found as FlowHit).origin.upstream !== destination;
  const upstreams = new Set(found.map((h) => h.origin.upstream));
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
  const byFp = hitsByFingerprint(hits);
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
    const found = byFp.get(fingerprint);
    if (found === undefined || found === COUNTED) continue;
    // A fingerprint met again counts nothing more (its hits were all counted the first time); marked,
    // not deleted (a delete can shrink the map: garbage).
    byFp.set(fingerprint, COUNTED);
    const kind = kindOf(fingerprint);
    if (!kind || !flowsFrom(found, destination)) continue;
    if (Array.isArray(found)) for (const hit of found) count(hit, c, kind);
    else count(found as FlowHit, c, kind);
  }
  const flows: Flow[] = [];
  for (const g of groups.values()) if (qualifies(g)) flows.push({ origin: g.origin, at: g.at, kinds: ordered(g.counts), path: g.path, fingerprint: g.fingerprint });
  return flows;
}
