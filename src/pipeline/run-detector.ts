/**
 * Running one detector under contract v2 (issue 8): a synchronous result is used as is (no timer, no
 * microtask: local rules stay on the fast path); a promise is awaited for at most the detector's
 * `timeoutMs`, after which its signal is aborted and the pipeline moves on. A throw, a rejection, a
 * timeout or a result that is not a list of findings becomes one `pipeline/detector-error` or
 * `pipeline/detector-timeout` finding: critical when the detector fails closed (the default: blocks
 * unless policy says otherwise), info when it fails open (the message goes on; the audit log still
 * shows the detector was not heard). Each failure is also counted in `metrics`.
 */
import type { Envelope, Metrics } from '../core/index.js';
import type { Detector, DetectorContext, Field, RawFinding } from './types.js';

/** How long an asynchronous `inspect` or `observe` may take when its detector does not say. */
export const DEFAULT_DETECTOR_TIMEOUT_MS = 2000;

type Scratch = <T>(key: object, create: () => T) => T;

/**
 * The context of one detector call. The signal lives on the prototype and is created on first read:
 * synchronous detectors never pay for it, and a context spread into a sub-context (a rescan) does not
 * carry it.
 */
export class DetectorCall implements DetectorContext {
  #controller: AbortController | undefined;

  constructor(
    readonly envelope: Envelope,
    readonly fields: readonly Field[],
    readonly shared: Scratch,
  ) {}

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Whether `signal` was read (the context then belongs to that detector). */
  get signalled(): boolean {
    return this.#controller !== undefined;
  }

  abort(reason: string): void {
    this.#controller?.abort(new Error(reason));
  }
}

export function failureFinding(detector: Detector, kind: 'error' | 'timeout', detail: string): RawFinding {
  const open = detector.failMode === 'open';
  return {
    rule: `pipeline/detector-${kind}`,
    severity: open ? 'info' : 'critical',
    path: '',
    reason: `detector ${detector.id} ${detail} (fails ${open ? 'open' : 'closed'})`,
    match: '',
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Calls `inspect`; returns findings now when it answered synchronously, else a promise of them. */
export function runDetector(detector: Detector, call: DetectorCall, metrics: Metrics): RawFinding[] | Promise<RawFinding[]> {
  let out: unknown;
  try {
    out = detector.inspect(call);
  } catch (err) {
    metrics.count('detector_failures', { detector: detector.id, kind: 'error' });
    return [failureFinding(detector, 'error', `failed: ${message(err)}`)];
  }
  if (Array.isArray(out)) return out as RawFinding[];
  if (!isThenable(out)) return [failureFinding(detector, 'error', 'returned no list of findings')];
  return settle(detector, out, call, metrics);
}

const TIMED_OUT = Symbol('timed out');

/** Waits for `pending` at most the detector's timeout; aborts the call's signal when it gives up. */
export async function withDeadline<T>(detector: Detector, pending: PromiseLike<T>, call: DetectorCall): Promise<T | typeof TIMED_OUT> {
  const ms = detector.timeoutMs ?? DEFAULT_DETECTOR_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    const out = await Promise.race([pending, deadline]);
    if (out === TIMED_OUT) call.abort(`detector ${detector.id} timed out after ${ms} ms`);
    return out;
  } finally {
    clearTimeout(timer);
  }
}

export { TIMED_OUT };

async function settle(detector: Detector, pending: PromiseLike<unknown>, call: DetectorCall, metrics: Metrics): Promise<RawFinding[]> {
  try {
    const out = await withDeadline(detector, pending, call);
    if (out === TIMED_OUT) {
      metrics.count('detector_failures', { detector: detector.id, kind: 'timeout' });
      return [failureFinding(detector, 'timeout', `did not answer within ${detector.timeoutMs ?? DEFAULT_DETECTOR_TIMEOUT_MS} ms`)];
    }
    if (Array.isArray(out)) return out as RawFinding[];
    return [failureFinding(detector, 'error', 'returned no list of findings')];
  } catch (err) {
    metrics.count('detector_failures', { detector: detector.id, kind: 'error' });
    return [failureFinding(detector, 'error', `failed: ${message(err)}`)];
  }
}
