/**
 * One bounded table on the server (issue 16): each entry a key of its own with the table's time-to-live
 * as native expiry (`SET … PX`), and a sorted set of members by a write sequence that keeps the
 * least-recently-written bound: a write past `maxEntries` pops the oldest members and deletes their
 * keys. A write and its change message go in one Lua script, so the bound, the data and the message
 * other replicas apply never disagree. Members are digests of the entry's key (fixed length, any
 * characters in the key are safe); the value (JSON) carries the key itself.
 * Keys: `{prefix}:<table>:i:<member>`, `{prefix}:<table>:order`, `{prefix}:<table>:seq`; the braces make
 * every key of one prefix a single Redis Cluster hash slot.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'iovalkey';

const WRITE = `
local prefix, ttl, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 6, #ARGV, 2 do
  local member, value = ARGV[i], ARGV[i + 1]
  if value == '' then
    redis.call('DEL', prefix .. member)
    redis.call('ZREM', KEYS[1], member)
  else
    redis.call('SET', prefix .. member, value, 'PX', ttl)
    redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), member)
  end
end
local over = redis.call('ZCARD', KEYS[1]) - max
if over > 0 then
  local gone = redis.call('ZPOPMIN', KEYS[1], over)
  for i = 1, #gone, 2 do redis.call('DEL', prefix .. gone[i]) end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
return 1
`;

/**
 * Raises a counter by ARGV[1], to at least ARGV[4] (the caller's own value: a server that lost its data
 * must not count from 0 again, or replicas that saw more would never see it move), and tells the others.
 */
const RAISE = `
local n = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
if n < tonumber(ARGV[4]) then
  n = tonumber(ARGV[4])
  redis.call('SET', KEYS[1], n)
end
redis.call('PUBLISH', ARGV[2], '{"r":"' .. ARGV[3] .. '","t":"decisions","n":' .. n .. '}')
return n
`;

interface Scripted {
  wdgWrite(order: string, seq: string, ...args: Array<string | number>): Promise<number>;
  wdgRaise(counter: string, by: number, channel: string, replica: string, floor: number): Promise<number>;
}

/** Defines the scripts once per client (EVALSHA, falling back to EVAL when the server lost its cache). */
export function scripted(client: Redis): Scripted {
  const c = client as Redis & Partial<Scripted>;
  if (!c.wdgWrite) {
    client.defineCommand('wdgWrite', { numberOfKeys: 2, lua: WRITE });
    client.defineCommand('wdgRaise', { numberOfKeys: 1, lua: RAISE });
  }
  return c as Redis & Scripted;
}

export interface TableBounds {
  maxEntries: number;
  ttlMs: number;
}

/** A value to write (JSON), or `null` to delete the member; `gone` is what other replicas delete (JSON). */
export type TableItem = readonly [member: string, value: string | null, gone?: string];

/** Items per script call: large pushes are cut so no single call blocks the server for long. */
const CHUNK = 500;

export function memberOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export class RedisTable {
  readonly #client: Redis;
  readonly #keys: { item: string; order: string; seq: string };
  readonly #channel: string;
  readonly #bounds: TableBounds;

  constructor(client: Redis, prefix: string, table: string, channel: string, bounds: TableBounds) {
    this.#client = client;
    this.#keys = { item: `{${prefix}}:${table}:i:`, order: `{${prefix}}:${table}:order`, seq: `{${prefix}}:${table}:seq` };
    this.#channel = channel;
    this.#bounds = bounds;
  }

  /** Writes the items in order, in chunks; each chunk publishes `message(chunk)` ('' for none). */
  async write(items: readonly TableItem[], message: (chunk: readonly TableItem[]) => string): Promise<void> {
    const { item, order, seq } = this.#keys;
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      const args = chunk.flatMap(([member, value]) => [member, value ?? '']);
      await scripted(this.#client).wdgWrite(order, seq, item, this.#bounds.ttlMs, this.#bounds.maxEntries, this.#channel, message(chunk), ...args);
    }
  }

  /** Every live value, least recently written first; members whose key expired are dropped from the order. */
  async load(): Promise<string[]> {
    const members = await this.#client.zrange(this.#keys.order, 0, -1);
    const values: string[] = [];
    const dead: string[] = [];
    for (let i = 0; i < members.length; i += CHUNK) {
      const chunk = members.slice(i, i + CHUNK);
      const found = await this.#client.mget(chunk.map((m) => this.#keys.item + m));
      found.forEach((value, j) => (value === null ? dead.push(chunk[j] as string) : values.push(value)));
    }
    for (let i = 0; i < dead.length; i += CHUNK) await this.#client.zrem(this.#keys.order, ...dead.slice(i, i + CHUNK));
    return values;
  }

  /** Entries the server holds for this table (tests and status). */
  async size(): Promise<number> {
    return this.#client.zcard(this.#keys.order);
  }
}
