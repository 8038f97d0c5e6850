/**
 * The ports: interfaces through which detectors and the pipeline reach time, state and remote
 * judges. Concretes live above (`src/store/` for the stores, the root for the rest) and are handed in
 * by the composition root; every store port has a SQLite implementation and an in-memory twin held
 * to one contract suite (`test/contract/`).
 */
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { PendingChange, Pin, PinKind, PinnedDefinition, PinQuery, PinRef, PinStatus, PinStore } from './pin-store.js';
export { keptDefinition, keptPin, listLimit, matchesQuery, MAX_PIN_DEFINITION, noPins, PIN_KINDS, pinKey, pinStatus } from './pin-store.js';
export type { FlowHit, FlowLookup, FlowOrigin, FlowStore } from './flow-store.js';
export { noFlowStore } from './flow-store.js';
export type { Baseline, BaselineStore, FeatureStats, Sample } from './baseline-store.js';
export { foldSample, MAX_FEATURES, MAX_FEATURE_NAME, RECENT_WINDOW } from './baseline-store.js';
export type { CatalogTool, CatalogView, ToolHints } from './catalog-view.js';
export type { NodePathProbeOptions, PathProbe } from './path-probe.js';
export { nodePathProbe } from './path-probe.js';
export { staticCatalogView } from './catalog-view.js';
export type { Classifier, ClassifierInput, ClassifierResult } from './classifier.js';
export type { ScoredWindow, ScorerHead, ScorerThresholds, TextScorer } from './text-scorer.js';
export type { VerdictStore } from './verdict-store.js';
export { keptVerdict, MAX_VERDICT_REASON } from './verdict-store.js';
export type { MetricLabels, Metrics } from './metrics.js';
export type { RateBuckets, RateTake } from './rate-buckets.js';
export { noMetrics } from './metrics.js';

import type { BaselineStore } from './baseline-store.js';
import type { CatalogView } from './catalog-view.js';
import type { Classifier } from './classifier.js';
import type { Clock } from './clock.js';
import type { FlowStore } from './flow-store.js';
import type { Metrics } from './metrics.js';
import type { PathProbe } from './path-probe.js';
import type { PinStore } from './pin-store.js';
import type { TextScorer } from './text-scorer.js';

/** Everything the root hands to inspection; detector factories take the ports they need from it. */
export interface Ports {
  clock: Clock;
  pins: PinStore;
  flows: FlowStore;
  baselines: BaselineStore;
  catalog: CatalogView;
  metrics: Metrics;
  /** Where path arguments lead (filesystem scope). */
  paths: PathProbe;
  /** Absent when no classifier is configured; a detector that needs one is then left out. */
  classifier?: Classifier;
  /** The local learned scorer (issue 15); absent when switched off (`detection.semantic.scorer.enabled: false`). */
  scorer?: TextScorer;
}
