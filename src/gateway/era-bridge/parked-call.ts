/**
 * One upstream call parked for a stateless 2026-07-28 client (issue 3; parking.ts drives it).
 * Contract: the upstream request runs on its own exclusive connection and outlives the client's
 * HTTP requests; each push the upstream sends during it is held (its promise unresolved) until a
 * client retry answers it. A client request attaches with `next()` and gets the call's result, its
 * error, or the next batch of pushes to ask for; between rounds the call waits `park()`ed with an
 * expiry. Decisions:
 * - Pushes that arrive within a short quiet gap form one round: the SDK's legacy shim sends a
 *   round's requests together, and a 2026-07-28 client expects them in one `input_required`.
 * - Keys are minted by the gateway (`elicitation-1`, `sampling-2`, …): a 2025-era push has none.
 * - Every way a call ends (result, error, cancel, expiry) rejects whatever is still held, so the
 *   upstream never waits on an answer that cannot come.
 */
import { randomUUID } from 'node:crypto';
import { type Json, ownValue, PUSH_METHODS, type PushMethod, WatchdogError } from '../../core/index.js';

/** A push joins the current round if it arrives within this gap of the previous one. */
const BATCH_QUIET_MS = 25;
/** A round is asked no later than this after its first push. */
const BATCH_MAX_MS = 250;

export interface HeldPush {
  readonly key: string;
  readonly method: PushMethod;
  readonly params: Json;
  resolve(result: Json): void;
  reject(err: unknown): void;
}

export type Ended = { kind: 'result'; result: Json } | { kind: 'error'; error: unknown };
export type Outcome = Ended | { kind: 'input'; asked: HeldPush[] };

/** Where the call's progress and log messages go while a client request is attached. */
export interface RoundSink {
  progress(progress: Json): void;
  log(params: Json): void;
}

export interface ParkedCallOptions {
  upstream: string;
  /** Who may resume it: the authenticated client id ('' without gateway auth). */
  principal: string;
  /** The tool name or resource URI called, so a token cannot resume a call for another target. */
  target: string;
  /** The upstream's own request timeout; parked rounds must expire before it. */
  timeoutMs: number;
  onEnd(ended: Ended, aborted: boolean): void;
}

export class ParkedCall {
  readonly id = randomUUID();
  round = 0;
  private readonly abort = new AbortController();
  private readonly queue: HeldPush[] = [];
  private readonly asked = new Map<string, HeldPush>();
  private minted = 0;
  private firstQueuedAt = 0;
  private lastPushAt = 0;
  private deadline: number;
  private ended?: Ended;
  private wake?: () => void;
  private sink?: RoundSink;
  private expiry?: NodeJS.Timeout;
  private attached = true;
  /** When the call was last parked (waiting for a client retry); undefined while attached. */
  parkedAt?: number;
  /** Settles once the upstream request has ended and `onEnd` has run. */
  readonly done: Promise<void>;
  private settleDone!: () => void;

  constructor(readonly options: ParkedCallOptions) {
    this.deadline = Date.now() + options.timeoutMs;
    this.done = new Promise((resolve) => (this.settleDone = resolve));
  }

  /** Starts the upstream request (progress pushes the upstream's deadline out, as the relay's timeout does). */
  run(request: (signal: AbortSignal, onprogress: (progress: Json) => void) => Promise<Json>): void {
    const onprogress = (progress: Json) => {
      this.deadline = Date.now() + this.options.timeoutMs;
      this.sink?.progress(progress);
    };
    request(this.abort.signal, onprogress).then(
      (result) => this.finish({ kind: 'result', result }),
      (error: unknown) => this.finish({ kind: 'error', error }),
    );
  }

  private finish(ended: Ended): void {
    this.ended = ended;
    this.rejectHeld('the upstream call has ended');
    this.wake?.();
    try {
      this.options.onEnd(ended, this.abort.signal.aborted);
    } finally {
      this.settleDone();
    }
  }

  /** A push from the upstream, held until a client retry answers it. */
  push(method: PushMethod, params: Json): Promise<Json> {
    if (this.ended) return Promise.reject(new WatchdogError('WDG_INPUT_UNANSWERED', { method, reason: 'the call has ended' }));
    return new Promise((resolve, reject) => {
      const now = Date.now();
      if (this.queue.length === 0) this.firstQueuedAt = now;
      this.lastPushAt = now;
      this.queue.push({ key: `${PUSH_METHODS[method]}-${++this.minted}`, method, params, resolve, reject });
      this.wake?.();
    });
  }

  log(params: Json): void {
    this.sink?.log(params);
  }

  /** Waits, for an attached client request, until the call ends or a batch of pushes is ready. */
  async next(sink: RoundSink, signal: AbortSignal): Promise<Outcome> {
    this.sink = sink;
    try {
      for (;;) {
        if (this.ended) return this.ended;
        signal.throwIfAborted();
        if (this.queue.length === 0) {
          await this.sleep(undefined, signal);
          continue;
        }
        const now = Date.now();
        const quiet = this.lastPushAt + BATCH_QUIET_MS - now;
        const cap = this.firstQueuedAt + BATCH_MAX_MS - now;
        if (quiet <= 0 || cap <= 0) return this.takeRound();
        await this.sleep(Math.min(quiet, cap), signal);
      }
    } finally {
      this.sink = undefined;
    }
  }

  private sleep(ms: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private takeRound(): Outcome {
    for (const push of this.queue.splice(0)) this.asked.set(push.key, push);
    return this.reask();
  }

  /** Opens a new round asking every push still unanswered. */
  reask(): Outcome {
    this.round++;
    return { kind: 'input', asked: [...this.asked.values()] };
  }

  /** Resolves the held pushes the client answered (an answer must be an object); true when none is left. */
  answer(responses: Record<string, unknown> | undefined): boolean {
    for (const [key, push] of this.asked) {
      const answer = ownValue(responses, key);
      if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) continue;
      this.asked.delete(key);
      push.resolve(answer as Json);
    }
    return this.asked.size === 0;
  }

  /** Milliseconds left before the upstream's own timeout would end the call. */
  remainingMs(): number {
    return this.deadline - Date.now();
  }

  /** Detaches the client request; `onExpire` runs if no retry claims the call within `ttlMs`. */
  park(ttlMs: number, onExpire: () => void): void {
    this.attached = false;
    this.parkedAt = Date.now();
    clearTimeout(this.expiry);
    this.expiry = setTimeout(onExpire, ttlMs);
    this.expiry.unref();
  }

  /**
   * A retry takes the call over; false if another request already holds it. A call that ended while
   * parked (its upstream answered without waiting, or failed) stays claimable until its round
   * expires, so the retry collects the outcome.
   */
  claim(): boolean {
    if (this.attached) return false;
    this.attached = true;
    this.parkedAt = undefined;
    clearTimeout(this.expiry);
    return true;
  }

  get isParked(): boolean {
    return !this.attached;
  }

  /** Whether the upstream request is still running (and so holds its connection). */
  get isRunning(): boolean {
    return this.ended === undefined;
  }

  /** Ends the call: held pushes are refused and the upstream request is cancelled. */
  cancel(reason: string): void {
    clearTimeout(this.expiry);
    this.rejectHeld(reason);
    this.abort.abort(new Error(reason));
  }

  private rejectHeld(reason: string): void {
    const held = [...this.asked.values(), ...this.queue.splice(0)];
    this.asked.clear();
    for (const push of held) push.reject(new WatchdogError('WDG_INPUT_UNANSWERED', { method: push.method, reason }));
  }
}
