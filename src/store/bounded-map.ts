/**
 * The in-memory twin of `BoundedTable`: a Map in write order (a write deletes and re-inserts the key),
 * at most `maxEntries` entries — the least recently written evicted at once — and entries older than
 * the time-to-live invisible to reads and swept on `size()`. `onEvict` lets a twin keep a side index
 * in step.
 */
import type { Retention } from './retention.js';

interface Slot<V> {
  value: V;
  time: number;
}

export class BoundedMap<V> {
  readonly #bounds: Retention;
  readonly #slots = new Map<string, Slot<V>>();
  readonly #onEvict: (key: string, value: V) => void;

  constructor(bounds: Retention, onEvict: (key: string, value: V) => void = () => undefined) {
    this.#bounds = bounds;
    this.#onEvict = onEvict;
  }

  #live(slot: Slot<V>): boolean {
    return slot.time >= this.#bounds.clock.now() - this.#bounds.ttlMs;
  }

  get(key: string): V | undefined {
    const slot = this.#slots.get(key);
    return slot && this.#live(slot) ? slot.value : undefined;
  }

  set(key: string, value: V, time: number): void {
    const previous = this.#slots.get(key);
    if (previous) {
      this.#slots.delete(key);
      this.#onEvict(key, previous.value);
    }
    this.#slots.set(key, { value, time });
    // Only when over the bound: iterating a Map from its start walks the holes its deletes left, so an
    // iterator per write would cost as much as the writes since the last rehash.
    if (this.#slots.size <= this.#bounds.maxEntries) return;
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.#bounds.maxEntries) break;
      this.#drop(oldest, slot);
    }
  }

  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (!slot) return false;
    this.#drop(key, slot);
    return this.#live(slot);
  }

  /** Live entries, most recently written first. */
  newestFirst(): Array<[string, V]> {
    const out: Array<[string, V]> = [];
    for (const [key, slot] of this.#slots) if (this.#live(slot)) out.push([key, slot.value]);
    return out.reverse();
  }

  size(): number {
    for (const [key, slot] of this.#slots) if (!this.#live(slot)) this.#drop(key, slot);
    return this.#slots.size;
  }

  #drop(key: string, slot: Slot<V>): void {
    this.#slots.delete(key);
    this.#onEvict(key, slot.value);
  }
}
