/** One record's outcome as `watchdog eval` reports it (run.ts for single messages, stateful.ts for issue 10's files). */
import type { Severity } from '../core/index.js';

export interface Prediction {
  id: string;
  file: string;
  flagged: boolean;
  findings: { rule: string; severity: Severity }[];
}
