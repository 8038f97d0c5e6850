import { describe, expect, it } from 'vitest';
import { defaultMaxSessions, sessionCaps, SessionSlots, usableMemory } from '../../../src/downstream/session-limits.js';

const MiB = 1024 * 1024;

describe('memory-aware session caps', () => {
  it('scale with memory: 64 KiB per session within a quarter of it, between 64 and 10000', () => {
    expect(defaultMaxSessions(512 * MiB)).toBe(2048);
    expect(defaultMaxSessions(2048 * MiB)).toBe(8192);
    expect(defaultMaxSessions(64 * 1024 * MiB)).toBe(10_000);
    expect(defaultMaxSessions(8 * MiB)).toBe(64);
    expect(usableMemory()).toBeGreaterThan(0);
  });

  it('give a principal a quarter with tokens, everything without, and honour configured values', () => {
    expect(sessionCaps({}, true, 512 * MiB)).toEqual({ total: 2048, perPrincipal: 512 });
    expect(sessionCaps({}, false, 512 * MiB)).toEqual({ total: 2048, perPrincipal: 2048 });
    expect(sessionCaps({ maxSessions: 10, maxSessionsPerPrincipal: 3 }, true)).toEqual({ total: 10, perPrincipal: 3 });
    expect(sessionCaps({ maxSessions: 10, maxSessionsPerPrincipal: 30 }, true)).toEqual({ total: 10, perPrincipal: 10 });
    expect(sessionCaps({ maxSessions: 2 }, true)).toEqual({ total: 2, perPrincipal: 1 });
  });
});

describe('SessionSlots', () => {
  it('refuses past the principal cap, then past the gateway cap, and frees a slot once on release', () => {
    const slots = new SessionSlots({ total: 3, perPrincipal: 2 });
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect(slots.take('a')).toEqual({ refused: { scope: 'principal', limit: 2, setting: 'gateway.http.maxSessionsPerPrincipal' } });
    const b1 = slots.take('b');
    expect(slots.take('c')).toEqual({ refused: { scope: 'gateway', limit: 3, setting: 'gateway.http.maxSessions' } });
    expect(slots.size).toBe(3);
    if (!('release' in a1) || !('release' in a2) || !('release' in b1)) throw new Error('a slot was refused');
    a1.release();
    a1.release();
    expect(slots.size).toBe(2);
    expect('release' in slots.take('c')).toBe(true);
    expect('refused' in slots.take('a')).toBe(true); // the gateway is full again
  });
});
