/**
 * `watchdog pins` on a store file (issue 10): the review operations of core/pin-review.ts on the pin
 * store of the file the config names, opened read-write (decisions are writes) and never created.
 */
import type { PinStore } from './core/index.js';
import { openPinFile } from './store/pin-file.js';

export { decide, diffOf, parsePinTarget, pinsOf, summarise } from './core/index.js';
export type { FieldChange, PinDecision, PinDiff, PinSummary, PinTarget } from './core/index.js';
export { StoreUnavailable } from './store/store-reader.js';

/** Runs `use` on the pin store of the store file at `storePath` (read-write; never created), then closes it. */
export function withPinFile<T>(storePath: string, use: (pins: PinStore) => T): T {
  const file = openPinFile(storePath);
  try {
    return use(file.pins);
  } finally {
    file.close();
  }
}
