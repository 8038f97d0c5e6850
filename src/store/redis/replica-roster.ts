/**
 * Which replicas share the server, and which config each runs (issue 16). Config files are per replica
 * (each has its own host, paths, secrets), so nothing here applies one replica's config to another;
 * what replicas learn of each other is the config digest (the SHA-256 of the file's text, as in
 * `/status`), so an operator sees at once when a reload reached some replicas and not others.
 * Each replica announces itself — at start, after every reconnection, after each config reload, and as
 * a heartbeat every `heartbeatMs` — into a hash (`{prefix}:replicas`, by replica id) and a sorted set
 * of when each was last heard (`{prefix}:replicas:seen`), in one MULTI with a PUBLISH on the change
 * channel, so the others update their view at once instead of at their next heartbeat. A replica not
 * heard for three heartbeats is gone (a crash leaves no farewell); a clean close removes itself.
 * The heartbeat's round trip is kept as the replica's measure of how far the server is.
 */
import type { RedisLink } from './redis-link.js';

/** What a replica says of itself. */
export interface ReplicaInfo {
  id: string;
  /** The config file's digest (16 hex), absent without a config file. */
  configHash?: string;
  pid: number;
  host: string;
  /** Epoch ms when it last announced. */
  at: number;
}

export interface RosterEvents {
  /** Another replica announced a config digest other than the one this replica knew of it (none: it is new). */
  configChanged?(peer: ReplicaInfo, previous: string | undefined): void;
}

const DEFAULT_HEARTBEAT_MS = 10_000;

export class ReplicaRoster {
  readonly #link: RedisLink;
  readonly #keys: { info: string; seen: string };
  readonly #channel: string;
  readonly #self: () => ReplicaInfo;
  readonly #heartbeatMs: number;
  readonly #events: RosterEvents;
  /** Other replicas, by id, with when this replica last heard of them (its own clock). */
  readonly #peers = new Map<string, { info: ReplicaInfo; heardAt: number }>();
  #timer: NodeJS.Timeout | undefined;
  #roundTripMs: number | undefined;
  #closed = false;

  constructor(link: RedisLink, prefix: string, channel: string, self: () => ReplicaInfo, options: { heartbeatMs?: number; events?: RosterEvents } = {}) {
    this.#link = link;
    this.#keys = { info: `{${prefix}}:replicas`, seen: `{${prefix}}:replicas:seen` };
    this.#channel = channel;
    this.#self = self;
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.#events = options.events ?? {};
  }

  /** The last heartbeat's round trip to the server (ms). */
  get roundTripMs(): number | undefined {
    return this.#roundTripMs;
  }

  /** Replicas heard within three heartbeats, this one first. */
  replicas(): Array<ReplicaInfo & { self: boolean }> {
    const live = Date.now() - 3 * this.#heartbeatMs;
    const others = [...this.#peers.values()].filter((p) => p.heardAt >= live).map((p) => ({ ...p.info, self: false }));
    return [{ ...this.#self(), self: true }, ...others.sort((x, y) => x.id.localeCompare(y.id))];
  }

  /** Loads who is there and starts the heartbeat (after every connection). */
  async connected(): Promise<void> {
    const live = Date.now() - 3 * this.#heartbeatMs;
    const gone = await this.#link.commands.zrangebyscore(this.#keys.seen, '-inf', `(${live}`);
    if (gone.length > 0) await this.#link.commands.multi().zrem(this.#keys.seen, ...gone).hdel(this.#keys.info, ...gone).exec();
    const ids = (await this.#link.commands.zrange(this.#keys.seen, 0, -1)).filter((id) => id !== this.#self().id);
    const infos = ids.length === 0 ? [] : await this.#link.commands.hmget(this.#keys.info, ...ids);
    for (const text of infos) if (text !== null) this.#heard(JSON.parse(text) as ReplicaInfo, false);
    await this.announce();
    if (!this.#timer && !this.#closed) {
      this.#timer = setInterval(() => void this.announce().catch((err: unknown) => this.#link.failed(err)), this.#heartbeatMs);
      this.#timer.unref();
    }
  }

  /** Tells the server and the other replicas what this replica runs (after a reload: at once). */
  async announce(): Promise<void> {
    if (!this.#link.up || this.#closed) return;
    const info = { ...this.#self(), at: Date.now() };
    const text = JSON.stringify(info);
    const began = Date.now();
    await this.#link.commands
      .multi()
      .hset(this.#keys.info, info.id, text)
      .zadd(this.#keys.seen, info.at, info.id)
      .publish(this.#channel, `{"r":${JSON.stringify(info.id)},"t":"replica","info":${text}}`)
      .exec();
    this.#roundTripMs = Date.now() - began;
  }

  /** A replica message from the change channel (its own are ignored). */
  receive(message: { r: string; info?: ReplicaInfo; gone?: boolean }): void {
    if (message.r === this.#self().id) return;
    if (message.gone) this.#peers.delete(message.r);
    else if (message.info) this.#heard(message.info, true);
  }

  /** Stops the heartbeat and removes this replica (best effort: a server away forgets it by its age). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    if (!this.#link.up) return;
    const id = this.#self().id;
    await this.#link.commands.multi().zrem(this.#keys.seen, id).hdel(this.#keys.info, id).publish(this.#channel, `{"r":${JSON.stringify(id)},"t":"replica","gone":true}`).exec().catch(() => undefined);
  }

  #heard(info: ReplicaInfo, live: boolean): void {
    const previous = this.#peers.get(info.id)?.info.configHash;
    this.#peers.set(info.id, { info, heardAt: live ? Date.now() : info.at });
    if (live && previous !== info.configHash) this.#events.configChanged?.(info, previous);
  }
}
