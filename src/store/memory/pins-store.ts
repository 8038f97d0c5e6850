/** In-memory twin of `SqlitePinStore`: same bounds and defaults, held to the same contract suite. */
import { keptPin, listLimit, matchesQuery, pinKey, systemClock, type Pin, type PinQuery, type PinRef, type PinStore } from '../../core/index.js';
import { BoundedMap } from '../bounded-map.js';
import { PIN_DEFAULTS } from '../pins-store.js';
import { retention, type RetentionOptions } from '../retention.js';

export class MemoryPinStore implements PinStore {
  readonly #pins: BoundedMap<Pin>;
  #decisions = 0;

  constructor(options: RetentionOptions = {}) {
    this.#pins = new BoundedMap(retention(options, PIN_DEFAULTS, systemClock));
  }

  get(ref: PinRef): Pin | undefined {
    const pin = this.#pins.get(pinKey(ref));
    return pin && keptPin(pin);
  }

  put(pin: Pin): void {
    const kept = keptPin(pin);
    this.#pins.set(pinKey(kept), kept, kept.lastSeen);
  }

  delete(ref: PinRef): boolean {
    return this.#pins.delete(pinKey(ref));
  }

  list(query: PinQuery = {}): Pin[] {
    const n = listLimit(query.limit);
    const out: Pin[] = [];
    for (const [, pin] of this.#pins.newestFirst()) {
      if (out.length >= n) break;
      if (matchesQuery(pin, query)) out.push(keptPin(pin));
    }
    return out;
  }

  size(): number {
    return this.#pins.size();
  }

  /** Every live pin, least recently written first (the replicated store pushes them to a server that lost its data). */
  all(): Pin[] {
    return this.#pins.newestFirst().reverse().map(([, pin]) => keptPin(pin));
  }

  /** Sets the counter to `n` when that is higher (another replica's decision); never lowers it. */
  raiseDecisions(n: number): void {
    this.#decisions = Math.max(this.#decisions, n);
  }

  decisions(): number {
    return this.#decisions;
  }

  decided(): void {
    this.#decisions++;
  }
}
