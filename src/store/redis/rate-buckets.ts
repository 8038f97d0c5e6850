/**
 * Rate buckets on the replicas' Valkey/Redis server (issue 16): one bucket per key for every replica,
 * so a limit of N calls per window holds across a load balancer. A take is one Lua script (EVALSHA,
 * EVAL when the server lost its script cache): refill by the time passed, spend a token or compute the
 * wait, write the bucket back and set its expiry to the time it takes to refill completely — an expired
 * bucket is a full one, so the server forgets idle buckets on its own (native expiry, no bound needed).
 * The replica's `now` is used, never moved backwards: a replica whose clock is ahead makes the others
 * wait that much longer for their refill (skew only ever makes a limit stricter).
 * Fail mode (README "Scaling out"): while the server is away, or when a take fails or does not answer
 * within `timeoutMs`, the take goes to this replica's local buckets (a call is never refused because the
 * server is away, and waits at most `timeoutMs` for a hung one: while a take is overdue, the next ones go
 * local at once); the outage itself is reported once by the link. Each replica then admits up to the
 * limit on its own until the server answers again.
 * Keys: `{prefix}:rate:<digest of the bucket key>` (a hash: tokens, last refill).
 */
import type { Redis } from 'iovalkey';
import type { BucketLimit, LocalRateBuckets, RateBuckets, RateTake } from '../../core/index.js';
import type { RedisLink } from './redis-link.js';
import { memberOf } from './redis-table.js';

const TAKE = `
local perMs = tonumber(ARGV[1]) / 60000
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
if now > at then at = now end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.max(1, math.ceil((1 - tokens) / perMs)) end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
return wait
`;

interface TakeScript {
  wdgTake(key: string, perMinute: number, burst: number, now: number): Promise<number>;
}

function takeScript(client: Redis): TakeScript {
  const c = client as Redis & Partial<TakeScript>;
  if (!c.wdgTake) client.defineCommand('wdgTake', { numberOfKeys: 1, lua: TAKE });
  return c as Redis & TakeScript;
}

export interface RedisRateBucketOptions {
  /** A take that has not answered by then goes to the local buckets; default 1000 ms. */
  timeoutMs?: number;
}

export class RedisRateBuckets implements RateBuckets {
  readonly #link: RedisLink;
  readonly #prefix: string;
  readonly #local: LocalRateBuckets;
  readonly #timeoutMs: number;
  #localTakes = 0;
  /** Takes that passed their timeout and have not been answered yet. */
  #overdue = 0;

  constructor(link: RedisLink, prefix: string, local: LocalRateBuckets, options: RedisRateBucketOptions = {}) {
    this.#link = link;
    this.#prefix = `{${prefix}}:rate:`;
    this.#local = local;
    this.#timeoutMs = options.timeoutMs ?? 1000;
  }

  /** Takes answered by the local buckets since start (the server away, failing or slow). */
  get localTakes(): number {
    return this.#localTakes;
  }

  async take(key: string, limit: BucketLimit, now: number): Promise<RateTake> {
    if (!this.#link.up || this.#overdue > 0) return this.#fallback(key, limit, now);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.#timeoutMs)));
    try {
      const taken = takeScript(this.#link.commands).wdgTake(this.#prefix + memberOf(key), limit.perMinute, limit.burst, now);
      this.#link.track(taken);
      const wait = await Promise.race([taken, late]);
      if (wait === 'late') {
        this.#overdue++;
        void taken.catch(() => undefined).finally(() => this.#overdue--);
        return this.#fallback(key, limit, now);
      }
      return wait === 0 ? { admitted: true } : { admitted: false, retryAfterMs: wait };
    } catch (err) {
      if (this.#link.up) this.#link.failed(err);
      return this.#fallback(key, limit, now);
    } finally {
      clearTimeout(timer);
    }
  }

  size(): number {
    return this.#local.size();
  }

  #fallback(key: string, limit: BucketLimit, now: number): RateTake {
    this.#localTakes++;
    return this.#local.takeNow(key, limit, now);
  }
}
