/**
 * Per-detector settings from config (`policy.detectors.<id>`, detector contract v2, issue 8): the fail
 * mode and timeout a detector declares are its defaults, and the config may override either. The root
 * applies them when it creates the detectors (createInspection), so a reload that changes them builds
 * a new inspection with the new settings. A detector is wrapped, never mutated: the built-ins are
 * shared values (the encoded-payloads rescans hold them too), and a wrapper that delegates keeps
 * class-based detectors (private fields, `this`) working, which a spread or a prototype copy would not.
 * Ids that name no detector are a load-time error (policy-check.ts), so nothing here is silent.
 */
import type { PolicyDetectorSettings } from '../config/schema.js';
import { ownValue } from '../core/index.js';
import type { Detector } from './types.js';

export type DetectorSettings = Readonly<Record<string, PolicyDetectorSettings>>;

function configured(detector: Detector, settings: PolicyDetectorSettings): Detector {
  const { observe } = detector;
  return {
    id: detector.id,
    phase: detector.phase,
    methods: detector.methods,
    directions: detector.directions,
    capabilities: detector.capabilities,
    failMode: settings.failMode ?? detector.failMode,
    timeoutMs: settings.timeoutMs ?? detector.timeoutMs,
    inspect: (ctx) => detector.inspect(ctx),
    ...(observe ? { observe: (ctx, verdict) => observe.call(detector, ctx, verdict) } : {}),
  };
}

/** `detectors` in the same order, each with its configured fail mode and timeout (unlisted ones as they are). */
export function withDetectorSettings(detectors: readonly Detector[], settings: DetectorSettings): readonly Detector[] {
  return detectors.map((detector) => {
    const own = ownValue<PolicyDetectorSettings>(settings, detector.id);
    return own && (own.failMode !== undefined || own.timeoutMs !== undefined) ? configured(detector, own) : detector;
  });
}
