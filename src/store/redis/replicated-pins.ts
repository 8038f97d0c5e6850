/**
 * The replicated `PinStore` (issue 16): reads from the in-memory twin; puts and deletes go to the
 * server and to the other replicas (replica.ts). The decision counter is a server counter raised by
 * one script (INCRBY + PUBLISH), so every replica's `decisions()` moves when anyone approves, rejects or
 * resets; locally it only ever rises (to the highest value seen), which is all the gateways' polling
 * needs. Decisions taken while the server is away are added to it when it returns, and a server that
 * came back without its data is raised to the replica's value, so the counter never goes back.
 */
import { pinKey, type Pin, type PinQuery, type PinRef, type PinStore } from '../../core/index.js';
import type { MemoryPinStore } from '../memory/index.js';
import { memberOf, scripted, type RedisTable, type TableItem } from './redis-table.js';
import { Replica, type ChangeMessage, type ReplicaContext } from './replica.js';

export class ReplicatedPinStore extends Replica implements PinStore {
  readonly #twin: MemoryPinStore;
  readonly #counter: string;
  readonly #channel: string;
  /** Decisions taken here that the server has not counted yet. */
  #uncounted = 0;

  constructor(ctx: ReplicaContext, table: RedisTable, twin: MemoryPinStore, keys: { counter: string; channel: string }, maxEntries: number) {
    super(ctx, table, 'pins', maxEntries);
    this.#twin = twin;
    this.#counter = keys.counter;
    this.#channel = keys.channel;
  }

  get(ref: PinRef): Pin | undefined {
    return this.#twin.get(ref);
  }

  put(pin: Pin): void {
    this.#twin.put(pin);
    const kept = this.#twin.get(pin);
    if (kept) this.send([[memberOf(pinKey(kept)), JSON.stringify(kept)]]);
  }

  delete(ref: PinRef): boolean {
    const had = this.#twin.delete(ref);
    const gone: PinRef = { upstream: ref.upstream, identity: ref.identity, kind: ref.kind, item: ref.item };
    this.send([[memberOf(pinKey(ref)), null, JSON.stringify(gone)]]);
    return had;
  }

  list(query?: PinQuery): Pin[] {
    return this.#twin.list(query);
  }

  size(): number {
    return this.#twin.size();
  }

  decisions(): number {
    return this.#twin.decisions();
  }

  decided(): void {
    this.#twin.decided();
    this.#uncounted++;
    if (this.link.up) this.link.track(this.#count().catch((err: unknown) => this.link.failed(err)));
  }

  override async resync(lostData: boolean): Promise<void> {
    await super.resync(lostData);
    await this.#count();
  }

  protected apply(message: ChangeMessage): void {
    if (message.t === 'decisions' && typeof message.n === 'number') this.#twin.raiseDecisions(message.n);
    for (const pin of (message.set ?? []) as Pin[]) this.#twin.put(pin);
    for (const ref of (message.del ?? []) as PinRef[]) this.#twin.delete(ref);
  }

  /** The server's pins replace the twin's; a pin here that the server lacks was deleted elsewhere (unless written meanwhile). */
  protected applyLoaded(values: readonly string[], touched: ReadonlySet<string>): void {
    const loaded = new Set<string>();
    for (const value of values) {
      const pin = JSON.parse(value) as Pin;
      loaded.add(memberOf(pinKey(pin)));
      this.#twin.put(pin);
    }
    for (const pin of this.#twin.all()) {
      const member = memberOf(pinKey(pin));
      if (!loaded.has(member) && !touched.has(member)) this.#twin.delete(pin);
    }
  }

  everything(): TableItem[] {
    return this.#twin.all().map((pin) => [memberOf(pinKey(pin)), JSON.stringify(pin)]);
  }

  /** Adds the uncounted decisions to the server's counter (0 reads it), never below this replica's value, and takes the result. */
  async #count(): Promise<void> {
    const by = this.#uncounted;
    this.#uncounted = 0;
    try {
      this.#twin.raiseDecisions(await scripted(this.link.commands).wdgRaise(this.#counter, by, this.#channel, this.replica, this.#twin.decisions()));
    } catch (err) {
      this.#uncounted += by;
      throw err;
    }
  }
}
