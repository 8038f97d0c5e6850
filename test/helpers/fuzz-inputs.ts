/**
 * Seeded generator of malformed JSON-RPC input for the front-door fuzz test (issue 7, acceptance).
 * Every case says which class it belongs to and so which answer it must get:
 * - `parse`: not JSON at all → -32700;
 * - `invalid-request`: JSON that is not a JSON-RPC request (wrong shape, wrong types, nested past the
 *   front door's limit) → -32600;
 * - `unknown-method`: a well-formed request for a method nobody serves, every Object.prototype member
 *   name among them → -32601;
 * - `invalid-params`: a served method with params that do not fit the spec, or naming a tool, prompt
 *   or resource that does not exist → -32602;
 * - `notification`: a well-formed notification for an unknown method → no answer at all.
 * The same seed gives the same cases, so a failure can be replayed. The 2026-07-28 door gets no
 * `resources/subscribe` or `logging/setLevel` (not methods of that revision: -32601 there).
 */

export type FuzzClass = 'parse' | 'invalid-request' | 'unknown-method' | 'invalid-params' | 'notification';
/** Which front door the case is for: the 2026-07-28 leg needs the `_meta` envelope and has no `logging/setLevel`. */
export type FuzzDoor = 'stdio' | 'legacy' | 'modern';

export interface FuzzCase {
  klass: FuzzClass;
  /** The exact text sent (one stdio line without its newline, or one HTTP body). */
  text: string;
  /** The id the answer must carry (`null`: the answer's id is null; absent: not checked, e.g. an id the gateway may or may not recover). */
  id?: string | number | null;
  /** The JSON-RPC method, when the input has one (HTTP headers of the 2026-07-28 leg derive from it). */
  method?: string;
  /** The `name` a 2026-07-28 client would put in Mcp-Name. */
  name?: string;
}

export const EXPECTED_CODE: Record<Exclude<FuzzClass, 'notification'>, number> = {
  parse: -32700,
  'invalid-request': -32600,
  'unknown-method': -32601,
  'invalid-params': -32602,
};

/** mulberry32: a tiny seeded PRNG with good enough spread for test input. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVED_PREFIXES = ['initialize', 'ping', 'notifications/', 'tools/', 'prompts/', 'resources/', 'completion/', 'logging/', 'server/', 'subscriptions/', 'tasks/', 'sampling/', 'elicitation/', 'roots/'];
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

class Gen {
  private n = 0;
  constructor(
    private readonly rand: () => number,
    readonly door: FuzzDoor,
  ) {}

  int(max: number): number {
    return Math.floor(this.rand() * max);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }

  /** A fresh id, string or number, never reused. */
  id(): string | number {
    this.n += 1;
    return this.rand() < 0.5 ? this.n * 7 + 1 : `fz-${this.n}-${this.int(1e6)}`;
  }

  word(alphabet: string, min: number, max: number): string {
    let out = '';
    const len = min + this.int(max - min + 1);
    for (let i = 0; i < len; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** Any JSON value except an object (what "not an object" params are made of). */
  nonObject(): unknown {
    return this.pick<() => unknown>([() => this.word('abc xyz', 0, 8), () => this.int(1000) - 500, () => this.rand() < 0.5, () => null, () => [this.int(9), 'x']])();
  }

  /** Any JSON value except a string. */
  nonString(): unknown {
    return this.pick<() => unknown>([() => this.int(1000), () => true, () => null, () => ({ a: 1 }), () => ['x']])();
  }

  params(params: Record<string, unknown>): Record<string, unknown> {
    return this.door === 'modern' ? { ...params, _meta: MODERN_META } : params;
  }

  request(id: string | number, method: string, params: Record<string, unknown>): string {
    return JSON.stringify({ jsonrpc: '2.0', id, method, params: this.params(params) });
  }
}

/** Not JSON: truncated or corrupted messages and plain garbage, checked against JSON.parse. */
function parseCase(g: Gen): FuzzCase {
  for (;;) {
    const valid = g.request(g.id(), 'tools/list', {});
    const text = g.pick<() => string>([
      () => valid.slice(0, 1 + g.int(valid.length - 1)),
      () => {
        const at = g.int(valid.length);
        return valid.slice(0, at) + g.pick(['{', '"', ',', ':', '\\', ']', 'x', '\u0000', "'"]) + valid.slice(at);
      },
      () => g.word('{}[]":,abcdefxyz 0123456789\\tnul', 1, 40),
      () => `{"jsonrpc":"2.0","id":1,"method":"ping",}`,
      () => g.word('\u00e9\u4e2d\u{1f600}<>?&%$#@!', 1, 20),
      () => 'NaN',
      () => `{'jsonrpc':'2.0'}`,
    ])();
    if (text.trim() === '') continue;
    try {
      JSON.parse(text);
    } catch {
      return { klass: 'parse', text, id: null };
    }
  }
}

/** JSON, but not a JSON-RPC request the gateway could route. */
function invalidRequestCase(g: Gen): FuzzCase {
  const id = g.id();
  const deep = 513 + g.int(3000);
  const options: Array<() => FuzzCase> = [
    () => ({ klass: 'invalid-request', text: JSON.stringify(g.pick([1, 'x', true, null, {}, { jsonrpc: '2.0' }])), id: null }),
    () => ({ klass: 'invalid-request', text: JSON.stringify({ jsonrpc: '1.0', id, method: 'ping' }) }),
    () => ({ klass: 'invalid-request', text: JSON.stringify({ id, method: 'ping' }) }),
    () => ({ klass: 'invalid-request', text: JSON.stringify({ jsonrpc: '2.0', id: g.pick([{}, [], true]), method: 'ping' }), id: null }),
    () => ({ klass: 'invalid-request', text: JSON.stringify({ jsonrpc: '2.0', id, method: g.nonString() }) }),
    () => ({ klass: 'invalid-request', text: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"x","arguments":{"a":${'['.repeat(deep)}${']'.repeat(deep)}}}}` }),
  ];
  return g.pick(options)();
}

/** A method nobody serves: generated names, and every Object.prototype member name in turn. */
function unknownMethodCase(g: Gen, fixed?: string): FuzzCase {
  let method = fixed;
  while (method === undefined || SERVED_PREFIXES.some((p) => method!.startsWith(p))) {
    const alphabet = g.door === 'modern' ? 'abcdefghijklmnopqrstuvwxyz_/.-$' : 'abcdefghijklmnopqrstuvwxyz_/.-$\u00e9\u4e2d';
    method = g.pick([() => g.word(alphabet, 1, 24), () => `${g.pick(['tools', 'prompts', 'rpc', 'x'])}/${g.word(alphabet, 1, 10)}x`, () => g.pick(PROTOTYPE)])();
  }
  const id = g.id();
  return { klass: 'unknown-method', text: g.request(id, method, {}), id, method };
}

/** A served method with params that do not fit, or naming nothing that exists. */
function invalidParamsCase(g: Gen): FuzzCase {
  const id = g.id();
  const make = (method: string, params: Record<string, unknown>, name?: string): FuzzCase => ({ klass: 'invalid-params', text: g.request(id, method, params), id, method, ...(name !== undefined && { name }) });
  const options: Array<() => FuzzCase> = [
    () => make('tools/call', { name: 'toy__echo', arguments: g.nonObject() }, 'toy__echo'),
    () => make('tools/call', { name: g.nonString(), arguments: {} }),
    () => make('tools/call', { arguments: { text: 'x' } }),
    () => {
      const name = `nosuch__${g.word('abcdefgh', 3, 10)}`;
      return make('tools/call', { name, arguments: {} }, name);
    },
    () => {
      const name = g.pick(PROTOTYPE);
      return make('tools/call', { name, arguments: {} }, name);
    },
    () => make('prompts/get', { name: g.nonString() }),
    () => make('prompts/get', { name: 'p', arguments: { a: g.nonString() } }, 'p'),
    () => make('resources/read', { uri: g.nonString() }),
    () => make('completion/complete', { ref: g.nonObject(), argument: { name: 'a', value: 'b' } }),
  ];
  if (g.door !== 'modern') {
    // Not methods of the 2026-07-28 revision (subscriptions ride subscriptions/listen; the level rides `_meta`).
    options.push(() => make('resources/subscribe', { uri: g.nonString() }));
    options.push(() => make('logging/setLevel', { level: g.pick([g.word('abcxyz', 1, 8), 3, null, ['debug']]) }));
  }
  return g.pick(options)();
}

function notificationCase(g: Gen): FuzzCase {
  const method = `${g.pick(['notifications/', ''])}${g.pick([...PROTOTYPE, g.word('abcdefgh', 3, 12)])}`;
  return { klass: 'notification', text: JSON.stringify({ jsonrpc: '2.0', method, params: g.params({}) }), method };
}

const PROTOTYPE: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/**
 * `count` cases for one front door: every Object.prototype member name as a method first, then a
 * seeded mix of all classes (parse errors and invalid requests are HTTP-body-level for the HTTP doors).
 */
export function fuzzCases(seed: number, door: FuzzDoor, count: number): FuzzCase[] {
  const rand = prng(seed);
  const g = new Gen(rand, door);
  const cases: FuzzCase[] = PROTOTYPE.map((name) => unknownMethodCase(g, name));
  const makers: Array<[number, () => FuzzCase]> = [
    [0.2, () => parseCase(g)],
    [0.2, () => invalidRequestCase(g)],
    [0.25, () => unknownMethodCase(g)],
    [0.3, () => invalidParamsCase(g)],
    [0.05, () => notificationCase(g)],
  ];
  while (cases.length < count) {
    let r = rand();
    for (const [weight, make] of makers) {
      if ((r -= weight) < 0) {
        cases.push(make());
        break;
      }
    }
  }
  return cases;
}
