/**
 * The LLM judge's spending limits (issue 15): at most `maxConcurrent` judgements in flight (the rest
 * wait their turn, or give up when their signal aborts) and at most `perMinute` started in any sliding
 * minute (beyond it a judgement is refused at once: unavailable, so the detector's fail mode decides).
 */
import type { Clock } from '../core/index.js';

export class JudgeLimits {
  readonly #starts: number[] = [];
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(
    readonly maxConcurrent: number,
    readonly perMinute: number,
    readonly clock: Clock,
  ) {}

  /** Counts one start against the minute's budget; false when the budget is spent. */
  spend(): boolean {
    const now = this.clock.now();
    while (this.#starts.length > 0 && (this.#starts[0] as number) <= now - 60_000) this.#starts.shift();
    if (this.#starts.length >= this.perMinute) return false;
    this.#starts.push(now);
    return true;
  }

  /** Runs `task` when a slot is free; rejects without running it if `signal` aborts first. */
  async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  #acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#running < this.maxConcurrent) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const turn = () => {
        signal.removeEventListener('abort', give);
        this.#running++;
        resolve();
      };
      const give = () => {
        const at = this.#waiting.indexOf(turn);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      this.#waiting.push(turn);
      signal.addEventListener('abort', give, { once: true });
    });
  }
}
