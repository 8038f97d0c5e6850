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

/** A fingerprint of the outbound call and the argument it came from. */
export interface Candidate {
  fingerprint: string;
  path: string;
}

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

interface Group {
  origin: FlowOrigin;
  at: number;
  kinds: Map<FlowValueKind, number>;
  /** Fingerprints counted for this origin: one counts once, however many sessions read it. */
  counted: Set<string>;
  path: string;
  fingerprint: string;
}

function hitsByFingerprint(hits: readonly FlowHit[]): Map<string, FlowHit[]> {
  const out = new Map<string, FlowHit[]>();
  for (const hit of hits) {
    const list = out.get(hit.fingerprint) ?? [];
    list.push(hit);
    out.set(hit.fingerprint, list);
  }
  return out;
}

function qualifies(group: Group): boolean {
  for (const [kind, n] of group.kinds) if (kind !== 'prose' || n >= MIN_PROSE_HITS) return true;
  return false;
}

function ordered(kinds: Map<FlowValueKind, number>): FlowValueKind[] {
  const rank: FlowValueKind[] = ['email', 'id', 'url', 'prose'];
  return rank.filter((k) => (kinds.get(k) ?? 0) > 0 && (k !== 'prose' || (kinds.get(k) ?? 0) >= MIN_PROSE_HITS));
}

/** Whether a fingerprint's hits can be a flow: not read from the destination, nor from too many upstreams. */
function flowsFrom(found: readonly FlowHit[], destination: string): boolean {
  if (found.length === 1) return found[0]?.origin.upstream !== destination;
  const upstreams = new Set(found.map((h) => h.origin.upstream));
  return !upstreams.has(destination) && upstreams.size < COMMON_UPSTREAMS;
}

export function judgeFlows(candidates: readonly Candidate[], hits: readonly FlowHit[], destination: string): Flow[] {
  const byFp = hitsByFingerprint(hits);
  const groups = new Map<string, Group>();
  for (const candidate of candidates) {
    const found = byFp.get(candidate.fingerprint);
    const kind = kindOf(candidate.fingerprint);
    if (!found || !kind || !flowsFrom(found, destination)) continue;
    for (const hit of found) {
      const key = hit.origin.tool === undefined ? hit.origin.upstream : `${hit.origin.upstream}\u0000${hit.origin.tool}`;
      const group = groups.get(key) ?? { origin: hit.origin, at: hit.at, kinds: new Map(), counted: new Set(), path: candidate.path, fingerprint: candidate.fingerprint };
      if (hit.at > group.at) Object.assign(group, { origin: hit.origin, at: hit.at });
      if (!group.counted.has(candidate.fingerprint)) {
        group.counted.add(candidate.fingerprint);
        group.kinds.set(kind, (group.kinds.get(kind) ?? 0) + 1);
        if (kind !== 'prose' && kindOf(group.fingerprint) === 'prose') Object.assign(group, { path: candidate.path, fingerprint: candidate.fingerprint });
      }
      groups.set(key, group);
    }
  }
  return [...groups.values()].filter(qualifies).map((g) => ({ origin: g.origin, at: g.at, kinds: ordered(g.kinds), path: g.path, fingerprint: g.fingerprint }));
}
