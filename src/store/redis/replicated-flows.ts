/**
 * The replicated `FlowStore` (issue 16): `lookup` answers from the in-memory twin, so a flow detector
 * checking tool arguments never waits for the network; `remember` also sends each (fingerprint, origin)
 * pair to the server (native expiry at the time-to-live, the least recently remembered dropped past
 * `maxEntries`) and to the other replicas, so content read through one replica is traced when it is
 * sent through another.
 */
import { PendingRemembers, type FlowHit, type FlowLookup, type FlowOrigin, type FlowStore } from '../../core/index.js';
import { flowOrigin } from '../flow-pairs.js';
import type { MemoryFlowStore } from '../memory/index.js';
import { memberOf, type RedisTable, type TableItem } from './redis-table.js';
import { Replica, type ChangeMessage, type ReplicaContext } from './replica.js';

function item(hit: FlowHit): TableItem {
  const { upstream, method, tool = '', session = '', principal = '' } = hit.origin;
  return [memberOf([hit.fingerprint, principal, upstream, method, tool, session].join('\u0000')), JSON.stringify(hit)];
}

export class ReplicatedFlowStore extends Replica implements FlowStore {
  readonly #twin: MemoryFlowStore;
  #salt: Uint8Array;
  readonly #pending = new PendingRemembers((origin, fingerprints, at) => this.remember(origin, fingerprints, at));

  constructor(ctx: ReplicaContext, table: RedisTable, twin: MemoryFlowStore, maxEntries: number) {
    super(ctx, table, 'flows', maxEntries);
    this.#twin = twin;
    this.#salt = twin.salt;
  }

  /**
   * The salt every replica hashes with: the twin's random one until the first connection, then the one kept
   * on the server (the first replica to connect sets it), so fingerprints match across replicas.
   */
  get salt(): Uint8Array {
    return this.#salt;
  }

  /** Adopts the server's salt (see `salt`). */
  useSalt(salt: Uint8Array): void {
    this.#salt = salt;
  }

  remember(origin: FlowOrigin, fingerprints: readonly string[], at: number): void {
    this.#twin.remember(origin, fingerprints, at);
    const o = flowOrigin(origin);
    this.send([...new Set(fingerprints)].map((fingerprint) => item({ fingerprint, origin: o, at })));
  }

  /** The twin waits for the next turn; what it then remembers is sent through `remember` here. */
  rememberLater(origin: FlowOrigin, produce: () => readonly string[], at: number, bytes: number): void {
    this.#pending.add(origin, produce, at, bytes);
  }

  /** Remembers (and sends) what waits; later reads are remembered at once. For closing. */
  drainPending(): void {
    this.#pending.close();
  }

  lookup(fingerprints: readonly string[], options?: FlowLookup): FlowHit[] {
    this.#pending.drain();
    return this.#twin.lookup(fingerprints, options);
  }

  size(): number {
    this.#pending.drain();
    return this.#twin.size();
  }

  protected apply(message: ChangeMessage): void {
    for (const hit of (message.set ?? []) as FlowHit[]) this.#twin.remember(hit.origin, [hit.fingerprint], hit.at);
  }

  protected applyLoaded(values: readonly string[]): void {
    for (const value of values) {
      const hit = JSON.parse(value) as FlowHit;
      this.#twin.remember(hit.origin, [hit.fingerprint], hit.at);
    }
  }

  everything(): TableItem[] {
    this.#pending.drain();
    return this.#twin.all().map(item);
  }
}
