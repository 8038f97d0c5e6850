/** A `Clock` tests move by hand. */
import type { Clock } from '../../src/core/index.js';

export class ManualClock implements Clock {
  constructor(private time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
