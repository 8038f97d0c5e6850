/**
 * Reads waiting to be remembered by a `FlowStore` (issue 9, "Fast": observe off the reply path). The
 * reply to a client waits only for `add` — the delivered text and its origin queued, nothing hashed; the
 * fingerprinting and indexing (`produce`, then the store's `remember`) run on the next turn of the event
 * loop. A store calls `drain()` before every lookup, so a check never misses a read however soon it
 * follows: the work is moved, not skipped. Bounded by the bytes of text waiting (default 4 MiB): past
 * it, `add` drains at once, so a burst of large results costs reply time instead of memory.
 */
import type { FlowOrigin } from './ports/flow-store.js';

/** Bytes of delivered text that may wait at most before `add` drains synchronously. */
export const PENDING_REMEMBER_BYTES = 4 * 1024 * 1024;

interface Pending {
  origin: FlowOrigin;
  produce: () => readonly string[];
  at: number;
}

export class PendingRemembers {
  readonly #remember: (origin: FlowOrigin, fingerprints: readonly string[], at: number) => void;
  readonly #maxBytes: number;
  #queue: Pending[] = [];
  #bytes = 0;
  #scheduled: NodeJS.Immediate | undefined;
  #closed = false;

  /** `maxBytes`: default `PENDING_REMEMBER_BYTES`. */
  constructor(remember: (origin: FlowOrigin, fingerprints: readonly string[], at: number) => void, maxBytes = PENDING_REMEMBER_BYTES) {
    this.#remember = remember;
    this.#maxBytes = maxBytes;
  }

  /** Bytes of text waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  add(origin: FlowOrigin, produce: () => readonly string[], at: number, bytes: number): void {
    this.#queue.push({ origin, produce, at });
    this.#bytes += bytes;
    if (this.#closed || this.#bytes > this.#maxBytes) {
      this.drain();
      return;
    }
    this.#scheduled ??= setImmediate(() => this.#drainLater());
  }

  /** Remembers everything waiting, in the order it was added. */
  drain(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    while (this.#queue.length > 0) {
      const queue = this.#queue;
      this.#queue = [];
      this.#bytes = 0;
      for (const p of queue) this.#remember(p.origin, p.produce(), p.at);
    }
  }

  /** Drains, then remembers each later `add` at once; idempotent. */
  close(): void {
    this.#closed = true;
    this.drain();
  }

  /** The scheduled drain must not throw out of the event loop: a read that fails to index is dropped. */
  #drainLater(): void {
    this.#scheduled = undefined;
    try {
      this.drain();
    } catch {
      // fingerprinting or the store failed for this batch; the next lookup sees what was remembered
    }
  }
}
