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
  #evictor: MapIterator<[string, Slot<V>]>;

  constructor(bounds: Retention, onEvict: (key: string, value: V) => void = () => undefined) {
    this.#bounds = bounds;
    this.#onEvict = onEvict;
    this.#evictor = this.#slots.entries();
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
    while (this.#slots.size > this.#bounds.maxEntries) {
      const oldest = this.#oldest();
      if (!oldest) break;
      this.#drop(...oldest);
    }
  }

  /**
   * The least recently written entry, from an iterator kept between evictions: a Map keeps deleted
   * entries as holes until it rehashes, and a fresh iteration from the start skips all of them, which at
   * the bound made every write walk tens of thousands of holes (issue 16's write cost). A kept iterator
   * resumes past them; what lies before it was all deleted, and re-written keys move behind it.
   */
  #oldest(): [string, Slot<V>] | undefined {
    let next = this.#evictor.next();
    if (next.done) {
      this.#evictor = this.#slots.entries();
      next = this.#evictor.next();
    }
    return next.done ? undefined : next.value;
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
