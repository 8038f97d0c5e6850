/**
 * Port: the time source. Everything that stamps or expires state (stores, detectors, the audit log)
 * reads the time through a `Clock` handed in by the composition root, so tests move time by hand
 * instead of sleeping. Epoch milliseconds, like `Date.now()`.
 */

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
