/**
 * The state stores of several gateway replicas on one Valkey/Redis server (issue 16): the pin, flow and
 * baseline ports, each served from an in-memory twin and replicated through the server (replica.ts),
 * over one link (redis-link.ts). Findings and resumable-stream events are not here: each replica keeps
 * its own in SQLite (README "Scaling out").
 * Fail mode: the server being away never fails a request. Reads go on from the twins; writes are kept
 * and sent when it returns; `events.down` fires once per outage (the root logs an error and counts it),
 * `events.up` when the replica has resynced. The epoch key tells a server that came back empty (a
 * restart without persistence) from one that was only unreachable.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BASELINE_DEFAULTS } from '../baselines-store.js';
import { FLOW_DEFAULTS } from '../flow-pairs.js';
import { MemoryBaselineStore, MemoryFlowStore, MemoryPinStore, type StateStoreOptions, type StateStores } from '../memory/index.js';
import { PIN_DEFAULTS } from '../pins-store.js';
import { retention } from '../retention.js';
import { LocalRateBuckets, systemClock } from '../../core/index.js';
import { RedisRateBuckets, type RedisRateBucketOptions } from './rate-buckets.js';
import { RedisLink, type RedisConnection } from './redis-link.js';
import { RedisTable } from './redis-table.js';
import { ReplicaRoster, type ReplicaInfo, type RosterEvents } from './replica-roster.js';
import type { ChangeMessage, Replica } from './replica.js';
import { ReplicatedBaselineStore } from './replicated-baselines.js';
import { ReplicatedFlowStore } from './replicated-flows.js';
import { ReplicatedPinStore } from './replicated-pins.js';

export interface ReplicationEvents {
  /** The server went away (once per outage); reads and writes go on locally. */
  down?(reason: string): void;
  /** Connected and resynced (after start and after every outage); `lostData`: the server came back empty and was refilled. */
  up?(info: { lostData: boolean; ms: number }): void;
  /** Another replica announced a config digest other than the one known of it (replica-roster.ts). */
  configChanged?: RosterEvents['configChanged'];
}

export interface ReplicatedStoreOptions extends StateStoreOptions {
  connection: RedisConnection;
  /** Prefix of every key and of the change channel; default "watchdog". */
  keyPrefix?: string;
  events?: ReplicationEvents;
  /** The shared rate buckets: the bound of their local fallback (read on every take) and the take timeout. */
  rateBuckets?: RedisRateBucketOptions & { maxBuckets?: () => number };
  /** The digest of the config this replica runs, announced to the others; default none. */
  configHash?: () => string | undefined;
  /** How often a replica announces itself; default 10000 ms. */
  heartbeatMs?: number;
  /** The tables loaded and kept in sync; default all three (`watchdog pins` needs only the pins). */
  tables?: ReadonlyArray<'pins' | 'flows' | 'baselines'>;
  /** Whether this is a gateway replica, announced to the others (replica-roster.ts); false for a command such as `watchdog pins`; default true. */
  replica?: boolean;
}

export interface ReplicationState {
  connected: boolean;
  /** Connected and resynced since the last outage (what this replica holds is what the others hold). */
  inSync: boolean;
  /** Writes waiting for the server. */
  unsent: number;
  /** Writes and takes sent and not answered yet. */
  inFlight: number;
  /** Rate-bucket takes answered by this replica's local buckets (server away, failing or slow). */
  localRateTakes: number;
  lastError?: string;
  /** Epoch ms of the last error. */
  lastErrorAt?: number;
  /** The last heartbeat's round trip to the server (ms). */
  roundTripMs?: number;
}

export interface ReplicatedStores extends StateStores {
  readonly pins: ReplicatedPinStore;
  readonly flows: ReplicatedFlowStore;
  readonly baselines: ReplicatedBaselineStore;
  /** Tool-call rate buckets shared by the replicas (local while the server is away). */
  readonly rateBuckets: RedisRateBuckets;
  /** Connects and loads the live state; resolves after the first resync, or after `waitMs` with `false` (serving locally, retrying). */
  start(waitMs?: number): Promise<boolean>;
  /** Resolves when every write sent so far was answered. */
  flushed(): Promise<void>;
  state(): ReplicationState;
  /** This replica's id on the server. */
  readonly replica: string;
  /** The replicas heard of lately, this one first. */
  replicas(): Array<ReplicaInfo & { self: boolean }>;
  /** Announces this replica again at once (after a config reload). */
  announce(): Promise<void>;
  close(): Promise<void>;
}

export function openReplicatedStores(options: ReplicatedStoreOptions): ReplicatedStores {
  const prefix = options.keyPrefix ?? 'watchdog';
  const channel = `{${prefix}}:changes`;
  const replica = randomBytes(8).toString('hex');
  const byTable = new Map<string, Replica>();
  let epoch: string | undefined;
  let synced = false;
  const link: RedisLink = new RedisLink(options.connection, channel, {
    message: (text) => {
      let message: ChangeMessage;
      try {
        message = JSON.parse(text) as ChangeMessage;
      } catch {
        return;
      }
      if (message.t === 'replica') roster.receive(message as ChangeMessage & { info?: ReplicaInfo; gone?: boolean });
      else byTable.get(message.t === 'decisions' ? 'pins' : message.t)?.receive(message);
    },
    up: async () => {
      const began = Date.now();
      const epochKey = `{${prefix}}:epoch`;
      await link.commands.set(epochKey, randomBytes(8).toString('hex'), 'NX');
      const current = await link.commands.get(epochKey);
      const lostData = epoch !== undefined && current !== epoch;
      const saltKey = `{${prefix}}:flows:salt`;
      await link.commands.set(saltKey, Buffer.from(flows.salt).toString('hex'), 'NX');
      const salt = await link.commands.get(saltKey);
      if (salt !== null && /^[0-9a-f]{64}$/.test(salt)) flows.useSalt(new Uint8Array(Buffer.from(salt, 'hex')));
      for (const store of byTable.values()) await store.resync(lostData);
      if (options.replica !== false) await roster.connected();
      // Only once every table resynced: a resync cut short runs again, as after data loss if it was one.
      epoch = current ?? undefined;
      synced = link.up;
      options.events?.up?.({ lostData, ms: Date.now() - began });
    },
    down: (reason) => {
      synced = false;
      options.events?.down?.(reason);
    },
  });
  const ctx = { link, replica };
  const bounds = (o: StateStoreOptions['pins'], defaults: { maxEntries: number; ttlMs: number }) => retention(o ?? {}, defaults, systemClock);
  const table = (name: string, b: { maxEntries: number; ttlMs: number }) => new RedisTable(link.commands, prefix, name, channel, b);
  const pinBounds = bounds(options.pins, PIN_DEFAULTS);
  const flowBounds = bounds(options.flows, FLOW_DEFAULTS);
  const baselineBounds = bounds(options.baselines, BASELINE_DEFAULTS);
  const pins = new ReplicatedPinStore(ctx, table('pins', pinBounds), new MemoryPinStore(options.pins), { counter: `{${prefix}}:pins:decisions`, channel }, pinBounds.maxEntries);
  const flows = new ReplicatedFlowStore(ctx, table('flows', flowBounds), new MemoryFlowStore(options.flows), flowBounds.maxEntries);
  const baselines = new ReplicatedBaselineStore(ctx, table('baselines', baselineBounds), new MemoryBaselineStore(options.baselines), baselineBounds.maxEntries);
  const tables = new Set(options.tables ?? ['pins', 'flows', 'baselines']);
  for (const store of [pins, flows, baselines]) if (tables.has(store.name as 'pins')) byTable.set(store.name, store);
  const { maxBuckets = () => 10_000, ...takeOptions } = options.rateBuckets ?? {};
  const rateBuckets = new RedisRateBuckets(link, prefix, new LocalRateBuckets(maxBuckets), takeOptions);
  const self = (): ReplicaInfo => {
    const configHash = options.configHash?.();
    return { id: replica, ...(configHash === undefined ? {} : { configHash }), pid: process.pid, host: hostname(), at: Date.now() };
  };
  const roster = new ReplicaRoster(link, prefix, channel, self, { heartbeatMs: options.heartbeatMs, events: { configChanged: options.events?.configChanged } });
  return {
    pins,
    flows,
    baselines,
    rateBuckets,
    start: (waitMs = 5000) => link.start(waitMs),
    flushed: () => link.flushed(),
    state: () => ({
      connected: link.up,
      inSync: synced && link.up,
      unsent: pins.unsent + flows.unsent + baselines.unsent,
      inFlight: link.inFlight,
      localRateTakes: rateBuckets.localTakes,
      ...(link.lastError === undefined ? {} : { lastError: link.lastError, lastErrorAt: link.lastErrorAt }),
      ...(roster.roundTripMs === undefined ? {} : { roundTripMs: roster.roundTripMs }),
    }),
    replica,
    replicas: () => roster.replicas(),
    announce: () => roster.announce().catch((err: unknown) => link.failed(err)),
    close: async () => {
      try {
        flows.drainPending();
        await roster.close();
      } finally {
        await link.close();
      }
    },
  };
}
