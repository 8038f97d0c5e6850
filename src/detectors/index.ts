/**
 * Every built-in detector, in the order the pipeline runs them (the first block stops the run, so the
 * cheap, decisive content rules come first): tool pinning on listings (first, so a held change is
 * recorded even when a content rule would block it too; it classifies a change with the content rules
 * after it), hidden content and instruction blocks (the sanitisers: what
 * they strip is gone before the others read, issue 12), instructions aimed at the model, credential
 * seeking, exfiltration channels, encoded payloads (which rescans with four of the detectors before it),
 * secrets (the redacting rules), shadowing across upstreams (through the catalog view), behavioural
 * fingerprinting, filesystem scope, cross-server flows (issue 9; left out with `flows.enabled: false`) and
 * dangerous arguments going upstream; last behavioural drift, which only reviews the others' findings and
 * learns from what was delivered.
 * `createDetectors` is the one place detectors are configured: the composition root calls it with the
 * validated policy (the sections a detector reads) and the ports; stateful detectors take the ports they
 * need from here, never from the message context.
 */
import { noFlowStore, noPins, nodePathProbe, staticCatalogView, systemClock, type BaselineStore, type Ports } from '../core/index.js';
import { FlowsSchema, upstreamIdentity, upstreamOrigin, type FlowsConfig, type UpstreamTarget } from '../config/index.js';
import { DriftSchema } from '../config/drift-schema.js';
import type { DriftConfig, UpstreamConfig } from '../config/schema.js';
import { SemanticSchema, type SemanticConfig } from '../config/detection-schema.js';
import { DEFAULT_POLICY, type PolicyConfig } from '../pipeline/policy.js';
import type { Detector, LocalDetector } from '../pipeline/types.js';
import { hiddenContentDetector } from './hidden-content.js';
import { instructionBlocksDetector } from './instruction-blocks.js';
import { modelInstructionsDetector } from './model-instructions.js';
import { credentialSeekingDetector } from './credential-seeking.js';
import { createExfiltrationDetector } from './exfiltration.js';
import { createEncodedPayloadsDetector } from './encoded-payloads.js';
import { secretsDetector } from './secrets.js';
import { createDangerousArgsDetector } from './dangerous-args.js';
import { createFsScopeDetector } from './fs-scope.js';
import { createSemanticJudgeDetector } from './semantic-judge.js';
import { createSemanticScorerDetector } from './semantic-scorer.js';
import { createToolPinningDetector } from './tool-pinning.js';
import { createShadowingDetector } from './shadowing.js';
import { createFlowsDetector } from './flows.js';
import { fingerprintingDetector } from './fingerprinting.js';
import { createBehaviourDriftDetector } from './behaviour-drift.js';

export { redactSecrets } from './secrets.js';

/** What detectors read of each upstream's config (issue 11: `scope`; issue 10: what it runs, for its identity; issue 9: flow labels, absent: none). */
export type UpstreamGuards = Pick<UpstreamConfig, 'name' | 'scope'> & UpstreamTarget & Partial<Pick<UpstreamConfig, 'labels' | 'toolLabels'>>;

const DEFAULT_FLOWS: FlowsConfig = FlowsSchema.parse({});

/**
 * The built-in detectors configured by `policy` (`tools` for dangerous arguments, `exfil.allowHosts` for
 * exfiltration and the rescans of encoded payloads) and by the upstreams' `scope`. `ports`: what
 * detectors read of the world (the path probe, the catalog view); without them, the real file system
 * and an empty catalog (and a flow store that remembers nothing). `flows`: the `flows:` section, default
 * its schema defaults. `policy.sanitise` is read by the policy, not here: the sanitisers always
 * report, and the policy decides per upstream whether a finding is stripped. `semantic`
 * (`detection.semantic`) configures the LLM judge, which runs only when `ports.classifier` is present.
 */
/** Without ports (the config check): a store that remembers nothing, so drift never fires. */
const NO_BASELINES: BaselineStore = { get: () => undefined, update: (_key, _sample, at) => ({ samples: 0, features: {}, firstSeen: at, lastSeen: at }), size: () => 0 };

/** The config sections stateful detectors read besides the policy; each defaults to its schema defaults. */
export interface DetectorSections {
  flows?: FlowsConfig;
  drift?: DriftConfig;
  semantic?: SemanticConfig;
}

export function createDetectors(
  policy: PolicyConfig = DEFAULT_POLICY,
  ports?: Ports,
  upstreams: readonly UpstreamGuards[] = [],
  sections: DetectorSections = {},
): readonly Detector[] {
  const flows = sections.flows ?? DEFAULT_FLOWS;
  const drift = sections.drift ?? DriftSchema.parse({});
  const semantic = sections.semantic ?? SemanticSchema.parse({});
  const catalog = ports?.catalog ?? staticCatalogView();
  const exfiltration = createExfiltrationDetector({ allowHosts: policy.exfil.allowHosts });
  const rescanners: readonly LocalDetector[] = [hiddenContentDetector, modelInstructionsDetector, credentialSeekingDetector, exfiltration];
  const encoded = createEncodedPayloadsDetector(rescanners);
  const contentRules = [...rescanners.slice(0, 1), instructionBlocksDetector, ...rescanners.slice(1), encoded, secretsDetector];
  const pinning = createToolPinningDetector(
    { ...policy.pinning, identities: new Map(upstreams.map((u) => [u.name, upstreamIdentity(u)])), rescanners: contentRules },
    { pins: ports?.pins ?? noPins, clock: ports?.clock ?? systemClock, catalog },
  );
  return [
    pinning,
    hiddenContentDetector,
    instructionBlocksDetector,
    modelInstructionsDetector,
    credentialSeekingDetector,
    exfiltration,
    encoded,
    secretsDetector,
    createShadowingDetector({ origins: new Map(upstreams.map((u) => [u.name, upstreamOrigin(u)])) }, { catalog }),
    fingerprintingDetector,
    createFsScopeDetector(
      { scopes: new Map(upstreams.flatMap((u) => (u.scope ? [[u.name, u.scope] as const] : []))) },
      { paths: ports?.paths ?? nodePathProbe(), catalog },
    ),
    ...(flows.enabled
      ? [
          createFlowsDetector(
            { flows, upstreams: new Map(upstreams.map((u) => [u.name, { labels: u.labels ?? [], toolLabels: u.toolLabels ?? {} }])) },
            { flows: ports?.flows ?? noFlowStore, catalog, clock: ports?.clock ?? systemClock },
          ),
        ]
      : []),
    createDangerousArgsDetector(policy.tools),
    ...(ports?.scorer ? [createSemanticScorerDetector(ports.scorer)] : []),
    ...(ports?.classifier
      ? [createSemanticJudgeDetector({ judge: semantic.judge, timeoutMs: semantic.timeoutMs, failMode: semantic.failMode }, { classifier: ports.classifier, ...(ports.scorer ? { scorer: ports.scorer } : {}) })]
      : []),
    createBehaviourDriftDetector(drift, { baselines: ports?.baselines ?? NO_BASELINES, clock: ports?.clock ?? systemClock }),
  ];
}

/** The built-ins under the default policy (tests, the benchmark). */
export const detectors: readonly Detector[] = createDetectors();
