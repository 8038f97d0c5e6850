/**
 * A fake upstream for gateway unit tests: the real `Upstream` supervisor's surface with no process and
 * no connection. `start()` comes up at once with the given tools; `request()` answers `tools/call` by
 * echoing the arguments (or with `answer`) and records every call. Built by an `UpstreamFactory`, as the
 * root builds real ones.
 */
import pino from 'pino';
import type { Json } from '../../src/core/index.js';
import type { UpstreamConfig } from '../../src/config/index.js';
import type { UpstreamFactory } from '../../src/gateway/index.js';
import { Upstream, type UpstreamHooks } from '../../src/upstream/index.js';
import type { CatalogSlice } from '../../src/upstream/catalog-slice.js';

type State = Upstream['state'];

export interface FakeScript {
  tools?: string[];
  /** Tool descriptions by name; default `<tool> of <upstream>`. */
  descriptions?: Record<string, string>;
  /** Stays down on start (state `backoff`). */
  down?: boolean;
  answer?: (method: string, params: Json | undefined) => Json;
}

export class FakeUpstream extends Upstream {
  readonly calls: Array<{ method: string; params: Json | undefined }> = [];
  closes = 0;
  #state: State = 'starting';
  #slice: CatalogSlice = { tools: [], prompts: [], resources: [], resourceTemplates: [], capabilities: {} };

  constructor(
    config: UpstreamConfig,
    private readonly fakeHooks: UpstreamHooks,
    private readonly script: FakeScript,
  ) {
    super(config, pino({ level: 'silent' }), fakeHooks);
  }

  override get state(): State {
    return this.#state;
  }

  override get slice(): CatalogSlice {
    return this.#slice;
  }

  override get era(): 'legacy' {
    return 'legacy';
  }

  override start(): void {
    if (this.#state !== 'starting') return;
    if (this.script.down) {
      this.#state = 'backoff';
      return;
    }
    this.#state = 'up';
    this.#slice = { ...this.#slice, tools: (this.script.tools ?? []).map((name) => ({ name, description: this.script.descriptions?.[name] ?? `${name} of ${this.name}`, inputSchema: { type: 'object' } })) };
    this.fakeHooks.catalogChanged(this.name);
  }

  override async request(method: string, params: Json | undefined): Promise<Json> {
    this.calls.push({ method, params });
    if (this.script.answer) return this.script.answer(method, params);
    return { content: [{ type: 'text', text: `${this.name}:${String(params?.name)}:${JSON.stringify(params?.arguments ?? {})}` }] };
  }

  /** Loses the connection: state `backoff`, no items (the gateway rebuilds its catalog). */
  goDown(): void {
    this.#state = 'backoff';
    this.#slice = { ...this.#slice, tools: [] };
    this.fakeHooks.catalogChanged(this.name);
  }

  override health(): ReturnType<Upstream['health']> {
    return this.#state === 'up' ? 'ready' : this.#state === 'starting' ? 'connecting' : this.#state === 'backoff' ? 'backoff' : 'disabled';
  }

  override snapshot(): ReturnType<Upstream['snapshot']> {
    return { ...super.snapshot(), state: this.health(), tools: this.#slice.tools.length };
  }

  override async releaseSession(): Promise<void> {}

  override async notifySession(): Promise<void> {}

  override async close(): Promise<void> {
    this.closes++;
    this.#state = 'closed';
  }
}

/** A factory building fakes by upstream name; what it built stays in `built`. */
export function fakeFactory(scripts: Record<string, FakeScript>): UpstreamFactory & { built: Map<string, FakeUpstream> } {
  const built = new Map<string, FakeUpstream>();
  const factory = (config: UpstreamConfig, hooks: UpstreamHooks) => {
    const fake = new FakeUpstream(config, hooks, scripts[config.name] ?? {});
    built.set(config.name, fake);
    return fake;
  };
  return Object.assign(factory, { built });
}
