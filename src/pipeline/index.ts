/**
 * Public surface of the detection pipeline. The root wires it once (`createInspection` in
 * src/inspection.ts) for the gateway, `watchdog scan` and `watchdog eval`; detectors code against the types.
 */
export { createPipeline, appliesTo, newFindingId } from './pipeline.js';
export type { Pipeline, PipelineOptions } from './pipeline.js';
export { DEFAULT_POLICY, DEFAULT_TOOL_OPTIONS, resolveAction, defaultAction, toolOptionsFor } from './policy.js';
export type { PolicyConfig, ToolOptions, ToolsPolicy } from './policy.js';
export { extractFields } from './fields.js';
export type { LocatedField, PathSegment } from './fields.js';
export { normalise } from './normalise.js';
export type { Normalised } from './normalise.js';
export { redactionMarker } from './redact.js';
export { applyStrips, stripMarker } from './strip.js';
export { checkPolicy } from './policy-check.js';
export { withDetectorSettings } from './detector-settings.js';
export type { DetectorSettings } from './detector-settings.js';
export type {
  DeliveredVerdict,
  Detector,
  DetectorContext,
  FailMode,
  Field,
  FieldRole,
  LocalDetector,
  RawFinding,
  RuleCapabilities,
  Span,
  StripFamily,
  StripPlan,
} from './types.js';
