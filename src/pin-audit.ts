/**
 * Pin decisions made over HTTP (the admin API's `POST /pins/*` and the console's Approve/Reject, issue
 * 17) go through core/pin-review.ts's `decide`, the operation `watchdog pins approve` runs, and each
 * changed pin is recorded as an audit event naming who decided: a finding of rule `pins/approved`,
 * `pins/rejected` or `pins/reset` (severity info, action alert) on the pin's upstream and item, with the
 * principal (an admin token's fingerprint, or the local user on a loopback bind) and a reason saying
 * what was decided, plus the usual warn line. It shows in `/findings`, `watchdog findings` and the console's feed.
 */
import type { Logger } from 'pino';
import { decide, diffOf, pinsOf, summarise, type Metrics, type PinStore } from './core/index.js';
import type { AdminApi } from './downstream/index.js';
import { localPrincipal, reportFinding, type FindingsSink } from './gateway/index.js';

export interface PinAuditOptions {
  findings: FindingsSink;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  /** Who a loopback request acts for; default `user:<the OS user>`. */
  local?: string;
}

const PAST = { approve: 'approved', reject: 'rejected', reset: 'reset' } as const;

export function auditedPins(pins: () => PinStore, options: PinAuditOptions): NonNullable<AdminApi['pins']> {
  const local = options.local ?? localPrincipal();
  return {
    list: (query) => pins().list(query).map(summarise),
    diff: (target) => pinsOf(pins(), target).map(diffOf),
    decide: (decision, target, principal) => {
      const who = principal === '' ? local : principal;
      const changed = decide(pins(), decision, target, options.now());
      for (const pin of changed) {
        reportFinding(options, {
          rule: `pins/${PAST[decision]}`,
          severity: 'info',
          action: 'alert',
          upstream: pin.upstream,
          tool: pin.item,
          method: `admin/pins/${decision}`,
          direction: 'to_client',
          path: '',
          match: '',
          reason: `${pin.kind} ${pin.upstream}/${pin.item} ${PAST[decision]} by ${who}`,
          principal: who,
        });
      }
      return changed;
    },
  };
}
