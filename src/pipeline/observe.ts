/**
 * The observe step of detector contract v2 (issue 8): after a verdict that lets the message through,
 * each applicable detector with an `observe` sees what the verdict let through — the redacted copy
 * (fields extracted again from it) after a redaction, the original after a pass — never the text a
 * redaction removed, and nothing after a block. Observers run in detector order, each under its
 * deadline; a failure is counted in `metrics` and never changes the verdict that was already decided.
 */
import type { Envelope, Metrics } from '../core/index.js';
import { extractFields } from './fields.js';
import { DetectorCall, TIMED_OUT, withDeadline } from './run-detector.js';
import type { DeliveredVerdict, Detector, Field } from './types.js';

type Scratch = <T>(key: object, create: () => T) => T;

export async function observeDelivered(
  observers: readonly Detector[],
  envelope: Envelope,
  fields: readonly Field[],
  verdict: DeliveredVerdict,
  metrics: Metrics,
  /** The inspection's scratch after a pass (same text); a fresh one after a redaction. */
  shared: Scratch,
): Promise<void> {
  const delivered = verdict.kind === 'redact' ? { ...envelope, payload: verdict.payload } : envelope;
  const seen = verdict.kind === 'redact' ? extractFields(delivered) : fields;
  for (const detector of observers) {
    const call = new DetectorCall(delivered, seen, shared);
    try {
      const out = detector.observe?.(call, verdict);
      if (out !== undefined && (await withDeadline(detector, out, call)) === TIMED_OUT) {
        metrics.count('detector_failures', { detector: detector.id, kind: 'observe-timeout' });
      }
    } catch {
      metrics.count('detector_failures', { detector: detector.id, kind: 'observe-error' });
    }
  }
}
