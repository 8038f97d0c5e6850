/**
 * The one wiring of inspection (issue 8 item 5), used by the gateway (app.ts), `watchdog scan` and
 * `watchdog eval` alike: the built-in detectors configured by the policy and given the ports, in a
 * pipeline under the same policy that counts detector failures in the ports' metrics. Recording
 * findings is the caller's concern: the gateway audits them, scan and eval only report.
 * The policy's load-time check (`checkConfigPolicy`) reads the same detectors, so what it says about a
 * key holds for the pipeline that will run.
 */
import type { Config, ConfigIssue, FlowsConfig } from './config/index.js';
import type { DetectionConfig, DriftConfig, PolicyConfig } from './config/schema.js';
import { nodePathProbe, noMetrics, staticCatalogView, systemClock, type Ports } from './core/index.js';
import { createDetectors, type UpstreamGuards } from './detectors/index.js';
import { checkPolicy, createPipeline, withDetectorSettings, type Detector, type Pipeline } from './pipeline/index.js';
import { semanticPorts } from './semantic-ports.js';
import { createMemoryStores } from './store/index.js';

export type { Pipeline, UpstreamGuards };

export interface InspectionConfig {
  policy: PolicyConfig;
  /** The upstreams whose settings detectors read (`scope`, flow labels); default none. */
  upstreams?: readonly UpstreamGuards[];
  /** The `flows:` section (issue 9); default its schema defaults. */
  flows?: FlowsConfig;
  /** Behavioural drift settings; default `drift:`'s defaults. */
  drift?: DriftConfig;
  /** The semantic layer's settings (issue 15); default: the schema's defaults. */
  detection?: DetectionConfig;
}

export interface Inspection {
  pipeline: Pipeline;
  /** In run order, as configured. */
  detectors: readonly Detector[];
  ports: Ports;
}

/** The detectors carry the fail mode and timeout of `policy.detectors` (a reload with new ones calls this again). */
export function createInspection(config: InspectionConfig, ports: Ports): Inspection {
  const sections = { flows: config.flows, drift: config.drift, semantic: config.detection?.semantic };
  const detectors = withDetectorSettings(createDetectors(config.policy, ports, config.upstreams, sections), config.policy.detectors);
  return { pipeline: createPipeline({ policy: config.policy, detectors, metrics: ports.metrics }), detectors, ports };
}

/**
 * The config check that needs the detectors (issue 12): policy keys whose action the named rules cannot
 * carry (`redact` without a replacement, `strip` without spans), keys naming no detector, and
 * `policy.detectors` ids naming no detector (an error: a timeout set on a typo would be silently ignored). The CLI
 * passes it to `loadConfig` so such keys are load-time errors or warnings with their YAML line.
 */
export function checkConfigPolicy(config: Config): readonly ConfigIssue[] {
  // The detectors this config will run, the semantic ones (issue 15) included when it enables them.
  const ports = memoryPorts(semanticPorts(config.detection));
  return checkPolicy(config.policy, createDetectors(config.policy, ports, [], { flows: { ...config.flows, enabled: true }, semantic: config.detection.semantic }));
}

/**
 * Ports over in-memory twins (scan, eval, tests): nothing persists, an empty catalog view, no metrics,
 * the system clock, the real file system; `overrides` replaces any of them (the stores follow an overridden clock).
 */
export function memoryPorts(overrides: Partial<Ports> = {}): Ports {
  const clock = overrides.clock ?? systemClock;
  const stores = createMemoryStores({ pins: { clock }, flows: { clock }, baselines: { clock } });
  return { clock, ...stores, catalog: staticCatalogView(), metrics: noMetrics, paths: nodePathProbe(), ...overrides };
}
