/**
 * Every built-in detector, in the order the pipeline runs them (the first block stops the run, so the
 * cheap, decisive content rules come first): hidden content, instructions aimed at the model, credential
 * seeking, exfiltration channels, encoded payloads (which rescans with the four before it), secrets
 * (the only redacting rules), and dangerous arguments going upstream.
 */
import type { Detector } from '../pipeline/types.js';
import { hiddenContentDetector } from './hidden-content.js';
import { modelInstructionsDetector } from './model-instructions.js';
import { credentialSeekingDetector } from './credential-seeking.js';
import { exfiltrationDetector } from './exfiltration.js';
import { encodedPayloadsDetector } from './encoded-payloads.js';
import { secretsDetector } from './secrets.js';

export { redactSecrets } from './secrets.js';
import { dangerousArgsDetector } from './dangerous-args.js';

export const detectors: readonly Detector[] = [
  hiddenContentDetector,
  modelInstructionsDetector,
  credentialSeekingDetector,
  exfiltrationDetector,
  encodedPayloadsDetector,
  secretsDetector,
  dangerousArgsDetector,
];
