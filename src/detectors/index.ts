/**
 * Every built-in detector, in the order the pipeline runs them (the first block stops the run, so the
 * cheap, decisive content rules come first): hidden content and instruction blocks (the sanitisers: what
 * they strip is gone before the others read, issue 12), instructions aimed at the model, credential
 * seeking, exfiltration channels, encoded payloads (which rescans with four of the detectors before it),
 * secrets (the redacting rules), behavioural fingerprinting, filesystem scope and dangerous arguments going
 * upstream; last behavioural drift, which only reviews the others' findings and learns from what was delivered.
 * `createDetectors` is the one place detectors are configured: the composition root calls it with the
 * validated policy (the sections a detector reads) and the ports; stateful detectors take the ports they
 * need from here, never from the message context.
 */
import { nodePathProbe, staticCatalogView, systemClock, type BaselineStore, type Ports } from '../core/index.js';
import { DriftSchema } from '../config/drift-schema.js';
import type { DriftConfig, UpstreamConfig } from '../config/schema.js';
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
import { fingerprintingDetector } from './fingerprinting.js';
import { createBehaviourDriftDetector } from './behaviour-drift.js';

export { redactSecrets } from './secrets.js';

/** What detectors read of each upstream's config (issue 11: `scope`). */
export type UpstreamGuards = Pick<UpstreamConfig, 'name' | 'scope'>;

/**
 * The built-in detectors configured by `policy` (`tools` for dangerous arguments, `exfil.allowHosts` for
 * exfiltration and the rescans of encoded payloads) and by the upstreams' `scope`. `ports`: what
 * detectors read of the world (the path probe, the catalog view); without them, the real file system
 * and an empty catalog. `policy.sanitise` is read by the policy, not here: the sanitisers always
 * report, and the policy decides per upstream whether a finding is stripped.
 */
/** Without ports (the config check): a store that remembers nothing, so drift never fires. */
const NO_BASELINES: BaselineStore = { get: () => undefined, update: (_key, _sample, at) => ({ samples: 0, features: {}, firstSeen: at, lastSeen: at }), size: () => 0 };

export function createDetectors(policy: PolicyConfig = DEFAULT_POLICY, ports?: Ports, upstreams: readonly UpstreamGuards[] = [], drift: DriftConfig = DriftSchema.parse({})): readonly Detector[] {
  const exfiltration = createExfiltrationDetector({ allowHosts: policy.exfil.allowHosts });
  const rescanners: readonly LocalDetector[] = [hiddenContentDetector, modelInstructionsDetector, credentialSeekingDetector, exfiltration];
  return [
    hiddenContentDetector,
    instructionBlocksDetector,
    modelInstructionsDetector,
    credentialSeekingDetector,
    exfiltration,
    createEncodedPayloadsDetector(rescanners),
    secretsDetector,
    fingerprintingDetector,
    createFsScopeDetector(
      { scopes: new Map(upstreams.flatMap((u) => (u.scope ? [[u.name, u.scope] as const] : []))) },
      { paths: ports?.paths ?? nodePathProbe(), catalog: ports?.catalog ?? staticCatalogView() },
    ),
    createDangerousArgsDetector(policy.tools),
    createBehaviourDriftDetector(drift, { baselines: ports?.baselines ?? NO_BASELINES, clock: ports?.clock ?? systemClock }),
  ];
}

/** The built-ins under the default policy (tests, the benchmark). */
export const detectors: readonly Detector[] = createDetectors();
