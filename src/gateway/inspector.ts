/**
 * The gateway's port to the detection pipeline and audit log. The gateway only needs a verdict per
 * message; how findings are detected, decided and recorded lives behind this interface (app.ts wires
 * the real one). `passThrough` is used where no inspection is configured (e.g. unit tests of routing).
 */
import type { Envelope, Verdict } from '../core/index.js';

export interface Inspector {
  inspect(envelope: Envelope): Promise<Verdict>;
}

export const passThrough: Inspector = {
  inspect: async () => ({ kind: 'pass', findings: [] }),
};
