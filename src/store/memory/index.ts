/** In-memory twins of the state stores and of the verdict cache: for `watchdog scan`, `watchdog eval` and tests. */
import type { BaselineStore, FlowStore, PinStore } from '../../core/index.js';
import type { RetentionOptions } from '../retention.js';
import { MemoryBaselineStore } from './baselines-store.js';
import { MemoryFlowStore } from './flows-store.js';
import { MemoryPinStore } from './pins-store.js';
import { MemoryVerdictStore } from './verdicts-store.js';

export { MemoryBaselineStore, MemoryFlowStore, MemoryPinStore, MemoryVerdictStore };

export interface StateStores {
  pins: PinStore;
  flows: FlowStore;
  baselines: BaselineStore;
}

export interface StateStoreOptions {
  pins?: RetentionOptions;
  flows?: RetentionOptions;
  baselines?: RetentionOptions;
}

export function createMemoryStores(options: StateStoreOptions = {}): StateStores {
  return { pins: new MemoryPinStore(options.pins), flows: new MemoryFlowStore(options.flows), baselines: new MemoryBaselineStore(options.baselines) };
}
