/** The replicated state stores on Valkey/Redis (issue 16); iovalkey is imported only under this folder. */
export { openReplicatedStores } from './replicated-stores.js';
export type { ReplicatedStoreOptions, ReplicatedStores, ReplicationEvents, ReplicationState } from './replicated-stores.js';
export type { RedisConnection } from './redis-link.js';
export { ReplicatedBaselineStore } from './replicated-baselines.js';
export { ReplicatedFlowStore } from './replicated-flows.js';
export { ReplicatedPinStore } from './replicated-pins.js';
export { RedisRateBuckets } from './rate-buckets.js';
export type { RedisRateBucketOptions } from './rate-buckets.js';
export type { ReplicaInfo } from './replica-roster.js';
