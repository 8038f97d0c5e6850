/** In-memory twin of `SqlitePinStore`: same bounds and defaults, held to the same contract suite. */
import { systemClock, type Pin, type PinEntry, type PinStore } from '../../core/index.js';
import { BoundedMap } from '../bounded-map.js';
import { keptDefinition, PIN_DEFAULTS } from '../pins-store.js';
import { retention, type RetentionOptions } from '../retention.js';

export class MemoryPinStore implements PinStore {
  readonly #pins: BoundedMap<Pin>;

  constructor(options: RetentionOptions = {}) {
    this.#pins = new BoundedMap(retention(options, PIN_DEFAULTS, systemClock));
  }

  get(key: string): Pin | undefined {
    const pin = this.#pins.get(key);
    return pin && { ...pin };
  }

  put(key: string, pin: Pin): void {
    const definition = keptDefinition(pin);
    const kept: Pin = { digest: pin.digest, ...(definition === undefined ? {} : { definition }), firstSeen: pin.firstSeen, lastSeen: pin.lastSeen };
    this.#pins.set(key, kept, pin.lastSeen);
  }

  delete(key: string): boolean {
    return this.#pins.delete(key);
  }

  list(limit = 100): PinEntry[] {
    const n = Math.min(Math.max(1, Math.trunc(limit)), 10_000);
    return this.#pins.newestFirst().slice(0, n).map(([key, pin]) => ({ key, ...pin }));
  }

  size(): number {
    return this.#pins.size();
  }
}
