/**
 * Caps on what HTTP clients can hold open (issue 7, item 6: 30,000 sessions cost 529 MB and nothing
 * stopped a 30,001st). A slot is a 2025-11-25 session, for its whole life, or an open 2026-07-28
 * request (a `subscriptions/listen` stream lives as long as the client keeps it). Two caps: the
 * gateway's total, and each principal's share, so one token cannot lock the others out. A refused
 * request gets HTTP 429 with a JSON-RPC error naming the cap and its config key.
 * Defaults follow memory: a quarter of the smaller of the V8 heap limit and the memory the process
 * may use (a container's limit where Node can read it), at 64 KiB per slot (≈ 3.5× the 18 KB a session
 * measured), between 64 and 10,000; a principal may take a quarter of that — all of it when the
 * gateway has no tokens, where every client is the one anonymous principal.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

export interface SessionCaps {
  total: number;
  perPrincipal: number;
}

export interface SessionCapSettings {
  maxSessions?: number;
  maxSessionsPerPrincipal?: number;
}

const SLOT_BYTES = 64 * 1024;
const MIN_DEFAULT = 64;
const MAX_DEFAULT = 10_000;

/** Bytes this process can use for sessions: the smaller of the heap limit and the (constrained) memory. */
export function usableMemory(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const machine = constrained !== undefined && constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.min(getHeapStatistics().heap_size_limit, machine);
}

export function defaultMaxSessions(memoryBytes: number): number {
  return Math.min(MAX_DEFAULT, Math.max(MIN_DEFAULT, Math.floor(memoryBytes / 4 / SLOT_BYTES)));
}

/** The caps in force: configured values, else the memory-aware defaults. */
export function sessionCaps(settings: SessionCapSettings, hasTokens: boolean, memoryBytes = usableMemory()): SessionCaps {
  const total = settings.maxSessions ?? defaultMaxSessions(memoryBytes);
  const share = hasTokens ? Math.max(1, Math.floor(total / 4)) : total;
  return { total, perPrincipal: Math.min(total, settings.maxSessionsPerPrincipal ?? share) };
}

/** Which cap refused a slot, for the error the client gets. */
export interface CapRefusal {
  scope: 'gateway' | 'principal';
  limit: number;
  setting: string;
}

/** Counts slots by principal; `take` either reserves one (returning its release) or says which cap is full. */
export class SessionSlots {
  private readonly byPrincipal = new Map<string, number>();
  private used = 0;

  constructor(readonly caps: SessionCaps) {}

  get size(): number {
    return this.used;
  }

  take(principal: string): { release: () => void } | { refused: CapRefusal } {
    if (this.used >= this.caps.total) return { refused: { scope: 'gateway', limit: this.caps.total, setting: 'gateway.http.maxSessions' } };
    const mine = this.byPrincipal.get(principal) ?? 0;
    if (mine >= this.caps.perPrincipal) {
      return { refused: { scope: 'principal', limit: this.caps.perPrincipal, setting: 'gateway.http.maxSessionsPerPrincipal' } };
    }
    this.used++;
    this.byPrincipal.set(principal, mine + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.used--;
        const left = (this.byPrincipal.get(principal) ?? 1) - 1;
        if (left > 0) this.byPrincipal.set(principal, left);
        else this.byPrincipal.delete(principal);
      },
    };
  }
}
