/**
 * The merged catalog: every upstream's slice under public names, plus the routes back to the owner.
 * Built from scratch whenever a slice changes (catalogs are small; rebuilding keeps it obviously
 * consistent). Deterministic: upstreams in config order, items in upstream order; the first owner of
 * a public name keeps it and later ones get a stable hash suffix, recorded in `renames`.
 * Two passes (issue 8 item 7): every slice is first assembled unscreened — the candidate catalog, shown
 * to detectors as the catalog view, so screening one upstream's tool can see every other upstream's
 * tools (shadowing) — then every item is screened, at most `concurrency` at a time, and the catalog is
 * assembled again from what screening let through.
 */
import { createHash } from 'node:crypto';
import type { Json } from '../core/index.js';
import type { CatalogSlice } from '../upstream/index.js';
import { mapWithLimit } from './concurrency.js';
import { fitName, joinName } from './naming.js';

export interface CatalogSource {
  upstream: string;
  /** Effective prefix ('' = unprefixed). */
  prefix: string;
  separator: string;
  exposeTool: (name: string) => boolean;
  slice: CatalogSlice;
}

export interface Route {
  upstream: string;
  name: string;
}

export interface Rename {
  upstream: string;
  kind: 'tool' | 'prompt' | 'resource';
  original: string;
  public: string;
  reason: 'collision' | 'invalid-name';
}

/** Decides whether a catalog item may be shown; returns the (possibly rewritten) item or undefined to withhold it. */
export type ScreenKind = 'tool' | 'prompt' | 'resource' | 'template' | 'instructions';
export type Screen = (upstream: string, kind: ScreenKind, item: Json, context?: ScreenContext) => Promise<Json | undefined>;

export interface ScreenContext {
  /** Digest of the candidate catalog's tools (upstream and name): a verdict may depend on them (shadowing). */
  view: string;
}

export interface BuildOptions {
  /** Screens at most this many items at a time; default 8. */
  concurrency?: number;
  /** Called with the candidate catalog (all slices, unscreened) before screening starts. */
  onCandidate?: (candidate: MergedCatalog) => void;
}

const DEFAULT_SCREEN_CONCURRENCY = 8;

export interface MergedCatalog {
  tools: Json[];
  prompts: Json[];
  resources: Json[];
  resourceTemplates: Json[];
  /** The upstreams' `initialize` instructions that passed screening, one section per upstream. */
  instructions?: string;
  tool: Map<string, Route>;
  prompt: Map<string, Route>;
  /** Public URI → owner and the upstream's own URI (identical unless the URI was ambiguous). */
  resource: Map<string, Route>;
  templates: Array<{ upstream: string; matches: (uri: string) => boolean }>;
  renames: Rename[];
  withheld: Array<{ upstream: string; kind: ScreenKind; name: string }>;
}

/** Scheme used to rewrite a resource URI that two upstreams both expose. */
export const REWRITTEN_URI = 'mcp-watchdog://';

export function rewriteUri(upstream: string, uri: string): string {
  return `${REWRITTEN_URI}${upstream}/${encodeURIComponent(uri)}`;
}

export function parseRewrittenUri(uri: string): Route | undefined {
  if (!uri.startsWith(REWRITTEN_URI)) return undefined;
  const rest = uri.slice(REWRITTEN_URI.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    return { upstream: rest.slice(0, slash), name: decodeURIComponent(rest.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}

/** What screening decided per item (by object identity; instructions by their slice). */
type Decide = (kind: ScreenKind, item: object) => Json | undefined;

export async function buildCatalog(sources: readonly CatalogSource[], screen?: Screen, options: BuildOptions = {}): Promise<MergedCatalog> {
  const candidate = assemble(sources, (_kind, item) => item as Json);
  if (!screen) return candidate;
  options.onCandidate?.(candidate);
  const context: ScreenContext = { view: viewDigest(candidate) };
  const jobs = screenJobs(sources);
  const shown = await mapWithLimit(jobs, options.concurrency ?? DEFAULT_SCREEN_CONCURRENCY, (j) => screen(j.upstream, j.kind, j.item, context));
  const decided = new Map<object, Json | undefined>(jobs.map((j, i) => [j.key, shown[i]]));
  return assemble(sources, (_kind, item) => decided.get(item));
}

interface ScreenJob {
  upstream: string;
  kind: ScreenKind;
  item: Json;
  key: object;
}

/** Every item an assembly would show, in assembly order. */
function screenJobs(sources: readonly CatalogSource[]): ScreenJob[] {
  const jobs: ScreenJob[] = [];
  for (const source of sources) {
    const add = (kind: ScreenKind, items: readonly Json[]) => {
      for (const item of items) jobs.push({ upstream: source.upstream, kind, item, key: item });
    };
    add('tool', source.slice.tools.filter((t) => source.exposeTool(String(t.name ?? ''))));
    add('prompt', source.slice.prompts);
    add('template', source.slice.resourceTemplates);
    add('resource', source.slice.resources);
    if (source.slice.instructions) jobs.push({ upstream: source.upstream, kind: 'instructions', item: { instructions: source.slice.instructions }, key: source.slice });
  }
  return jobs;
}

function viewDigest(catalog: MergedCatalog): string {
  const tools = [...catalog.tool].map(([name, route]) => [name, route.upstream, route.name]);
  return createHash('sha256').update(JSON.stringify(tools)).digest('hex').slice(0, 16);
}

function assemble(sources: readonly CatalogSource[], decide: Decide): MergedCatalog {
  const catalog: MergedCatalog = {
    tools: [], prompts: [], resources: [], resourceTemplates: [],
    tool: new Map(), prompt: new Map(), resource: new Map(), templates: [], renames: [], withheld: [],
  };
  for (const source of sources) {
    for (const tool of source.slice.tools) {
      const name = String(tool.name ?? '');
      if (!source.exposeTool(name)) continue;
      const shown = decide('tool', tool);
      if (!shown) catalog.withheld.push({ upstream: source.upstream, kind: 'tool', name });
      else addNamed(catalog, 'tool', source, shown, catalog.tools, catalog.tool);
    }
    for (const prompt of source.slice.prompts) {
      const shown = decide('prompt', prompt);
      if (!shown) catalog.withheld.push({ upstream: source.upstream, kind: 'prompt', name: String(prompt.name ?? '') });
      else addNamed(catalog, 'prompt', source, shown, catalog.prompts, catalog.prompt);
    }
    for (const listed of source.slice.resourceTemplates) {
      const template = decide('template', listed);
      if (!template) {
        catalog.withheld.push({ upstream: source.upstream, kind: 'template', name: String(listed.uriTemplate ?? '') });
        continue;
      }
      catalog.resourceTemplates.push(template);
      catalog.templates.push({ upstream: source.upstream, matches: templateMatcher(String(template.uriTemplate ?? '')) });
    }
  }
  addResources(catalog, sources, decide);
  catalog.instructions = mergeInstructions(catalog, sources, decide);
  return catalog;
}

function addNamed(catalog: MergedCatalog, kind: 'tool' | 'prompt', source: CatalogSource, item: Json, list: Json[], routes: Map<string, Route>): void {
  const original = String(item.name ?? '');
  const wanted = joinName(source.prefix, source.separator, original);
  let name = fitName(wanted);
  if (name !== wanted) catalog.renames.push({ upstream: source.upstream, kind, original, public: name, reason: 'invalid-name' });
  if (routes.has(name)) {
    name = fitName(wanted, source.upstream);
    catalog.renames.push({ upstream: source.upstream, kind, original, public: name, reason: 'collision' });
  }
  routes.set(name, { upstream: source.upstream, name: original });
  list.push(name === original ? item : { ...item, name });
}

function mergeInstructions(catalog: MergedCatalog, sources: readonly CatalogSource[], decide: Decide): string | undefined {
  const parts: string[] = [];
  for (const source of sources) {
    const text = source.slice.instructions;
    if (!text) continue;
    const shown = decide('instructions', source.slice);
    if (!shown) catalog.withheld.push({ upstream: source.upstream, kind: 'instructions', name: 'initialize' });
    else parts.push(`## ${source.upstream}\n${String(shown.instructions ?? '')}`);
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function addResources(catalog: MergedCatalog, sources: readonly CatalogSource[], decide: Decide): void {
  const owners = new Map<string, number>();
  for (const s of sources) for (const r of s.slice.resources) owners.set(String(r.uri), (owners.get(String(r.uri)) ?? 0) + 1);
  for (const source of sources) {
    for (const listed of source.slice.resources) {
      const uri = String(listed.uri);
      const resource = decide('resource', listed);
      if (!resource) {
        catalog.withheld.push({ upstream: source.upstream, kind: 'resource', name: uri });
        continue;
      }
      if ((owners.get(uri) ?? 0) > 1) {
        const rewritten = rewriteUri(source.upstream, uri);
        catalog.renames.push({ upstream: source.upstream, kind: 'resource', original: uri, public: rewritten, reason: 'collision' });
        catalog.resource.set(rewritten, { upstream: source.upstream, name: uri });
        catalog.resources.push({ ...resource, uri: rewritten });
      } else {
        catalog.resource.set(uri, { upstream: source.upstream, name: uri });
        catalog.resources.push(resource);
      }
    }
  }
}

/** RFC 6570 matching, enough for routing: `{x}` is one path segment, `{+x}`/`{/x}`/`{?x}` and friends match greedily. */
export function templateMatcher(template: string): (uri: string) => boolean {
  if (template === '') return () => false;
  let pattern = '';
  for (const part of template.split(/(\{[^}]*\})/)) {
    if (part.startsWith('{') && part.endsWith('}')) pattern += /^\{[+#/?&.;]/.test(part) ? '.*' : '[^/?#]*';
    else pattern += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${pattern}$`);
  return (uri) => regex.test(uri);
}

/** Finds who serves a URI: a listed resource, a rewritten URI, or a unique matching template. */
export function routeUri(catalog: MergedCatalog, uri: string): Route | undefined {
  const listed = catalog.resource.get(uri);
  if (listed) return listed;
  const rewritten = parseRewrittenUri(uri);
  if (rewritten) return rewritten;
  const owners = new Set(catalog.templates.filter((t) => t.matches(uri)).map((t) => t.upstream));
  if (owners.size >= 1) return { upstream: [...owners][0] as string, name: uri };
  return undefined;
}

/** A catalog with nothing in it (before the first build). */
export function emptyCatalog(): MergedCatalog {
  return { tools: [], prompts: [], resources: [], resourceTemplates: [], tool: new Map(), prompt: new Map(), resource: new Map(), templates: [], renames: [], withheld: [] };
}

/** Which lists differ between two catalogs (by content), so only those list_changed go out. */
export function diffKinds(a: MergedCatalog, b: MergedCatalog): Array<'tools' | 'prompts' | 'resources'> {
  const kinds: Array<'tools' | 'prompts' | 'resources'> = [];
  if (JSON.stringify(a.tools) !== JSON.stringify(b.tools)) kinds.push('tools');
  if (JSON.stringify(a.prompts) !== JSON.stringify(b.prompts)) kinds.push('prompts');
  if (JSON.stringify([a.resources, a.resourceTemplates]) !== JSON.stringify([b.resources, b.resourceTemplates])) kinds.push('resources');
  return kinds;
}
