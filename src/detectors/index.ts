/**
 * Every built-in detector, in the order the pipeline runs them (the first block stops the run, so the
 * cheap, decisive content rules come first): hidden content and instruction blocks (the sanitisers: what
 * they strip is gone before the others read, issue 12), instructions aimed at the model, credential
 * seeking, exfiltration channels, encoded payloads (which rescans with four of the detectors before it),
 * secrets (the redacting rules), and dangerous arguments going upstream.
 */
import type { Detector } from '../pipeline/types.js';
import { hiddenContentDetector } from './hidden-content.js';
import { instructionBlocksDetector } from './instruction-blocks.js';
import { modelInstructionsDetector } from './model-instructions.js';
import { credentialSeekingDetector } from './credential-seeking.js';
import { exfiltrationDetector } from './exfiltration.js';
import { encodedPayloadsDetector } from './encoded-payloads.js';
import { secretsDetector } from './secrets.js';

export { redactSecrets } from './secrets.js';
import { dangerousArgsDetector } from './dangerous-args.js';

export const detectors: readonly Detector[] = [
  hiddenContentDetector,
  instructionBlocksDetector,
  modelInstructionsDetector,
  credentialSeekingDetector,
  exfiltrationDetector,
  encodedPayloadsDetector,
  secretsDetector,
  dangerousArgsDetector,
];
