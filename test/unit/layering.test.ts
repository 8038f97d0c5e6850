/**
 * The layering of src/, held by a test (issue 8 item 9; README "Code map"). Every import under src/ is
 * parsed — static, re-export and dynamic, type-only ones included, since a type is a dependency of the
 * design even when erased — and checked against the allowed edges below; the file graph must have no
 * cycle. Layers, lowest first:
 *
 *   core        ground vocabulary: findings, errors, the ports (interfaces only)
 *   config      the zod schema and loading (its types are vocabulary for everything above)
 *   pipeline    field extraction, policy, the detector contract and runner
 *   detectors   one file per detector at the top of detectors/, helpers in named subfolders (text/,
 *               vocabulary/, hidden/, secrets/, shapes/); reach state only through ports
 *   store       SQLite stores, their in-memory twins and the replicated stores on Valkey/Redis (implement the store ports)
 *   classifier  remote and local judges (the LLM judge on the classifier port, the local scorer on the text-scorer port)
 *   upstream    connections to upstream servers
 *   gateway     the merged server: catalog, routing, relay; sees inspection only through the Inspector port
 *   downstream  front doors (stdio, HTTP) and status files
 *   root        src/*.ts: the composition root (createApp, createInspection, status, logger)
 *   eval        the corpus evaluation, through the root
 *   cli         commands, through the root
 *
 * store, classifier and upstream sit beside the pipeline, not above it: none may import another's
 * layer, and the gateway never imports the pipeline, the detectors or the store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** For each layer, the layers it may import (besides itself). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  config: ['core'],
  pipeline: ['core', 'config'],
  detectors: ['core', 'config', 'pipeline'],
  store: ['core'],
  classifier: ['core', 'config'],
  upstream: ['core', 'config'],
  gateway: ['core', 'config', 'upstream'],
  downstream: ['core', 'config', 'upstream', 'gateway'],
  root: ['core', 'config', 'pipeline', 'detectors', 'store', 'classifier', 'upstream', 'gateway', 'downstream'],
  eval: ['core', 'config', 'root'],
  cli: ['core', 'config', 'root', 'eval'],
};

/** npm packages only some layers may import (the rest may import any). */
const PACKAGE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  'better-sqlite3': ['store'],
  iovalkey: ['store'],
  '@anthropic-ai/sdk': ['classifier'],
  fastify: ['downstream'],
  '@modelcontextprotocol/fastify': ['downstream'],
  '@modelcontextprotocol/node': ['downstream'],
};

/** Layers that import node built-ins only: what they decide must not depend on a library's I/O. */
const NO_PACKAGES = new Set(['core', 'pipeline', 'detectors']);

const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Edge {
  from: string;
  to: string;
  spec: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? 'root' : (parts[0] as string);
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const FILES = sourceFiles(SRC);
const EDGES: Edge[] = FILES.flatMap((file) =>
  imports(file).map((spec) => ({
    from: relative(SRC, file),
    spec,
    to: spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : spec,
  })),
);
const LOCAL = EDGES.filter((e) => e.spec.startsWith('.'));
const PACKAGES = EDGES.filter((e) => !e.spec.startsWith('.') && !e.spec.startsWith('node:') && !builtinModules.includes(e.spec));

/**
 * Layers that meet a library's types at their edge: the SDK (client, server, node), fastify and pino.
 * Each surface has one adapter where its casts live, each stated with the reason it is sound (issue 8
 * item 10); every other file there types its way through. pino's adapter is the root's logger.ts, which
 * takes pino's own DestinationStream; fastify's body errors are read, not cast (downstream/http-errors.ts).
 */
const BOUNDARY_LAYERS = new Set(['upstream', 'gateway', 'downstream', 'root', 'cli']);
const CAST_ADAPTERS = new Set([
  'upstream/sdk-client.ts', // the SDK's client surface
  'gateway/sdk-server.ts', // the SDK's server surface
  'upstream/bounded-fetch.ts', // a fetch Response (a web API, not the SDK)
]);

/**
 * The casts in `source` that escape the type system at a library boundary: `as never`, `as any`,
 * `as unknown as`, `Object.defineProperty` (patching a library object), and `as T` where T names a type
 * imported from `@modelcontextprotocol/*` or a local alias built from one.
 */
function boundaryCasts(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const sdkNames = new Set<string>();
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]@modelcontextprotocol\/[^'"]+['"]/g)) {
    for (const part of (m[1] as string).split(',')) {
      const local = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (local) sdkNames.add(local);
    }
  }
  const mentionsSdk = (type: string) => [...sdkNames].some((name) => new RegExp(`\\b${name}\\b`).test(type));
  for (const m of text.matchAll(/\btype\s+(\w+)\s*(?:<[^>]*>)?\s*=\s*([^;]+);/g)) if (mentionsSdk(m[2] as string)) sdkNames.add(m[1] as string);
  // Import and re-export lists, whose `as` renames a binding rather than casting a value.
  const code = text.replace(/^\s*(?:import|export)\s+(?:type\s+)?(?:\{[^}]*\}|\*\s+as\s+\w+|\w+(?:\s*,\s*\{[^}]*\})?)\s+from\s+['"][^'"]+['"];?/gm, '');
  const escapes = [...code.matchAll(/\bas (?:never|any)\b|\bas unknown as\b|defineProperty\(/g)].map((m) => m[0]);
  const sdkCasts = [...code.matchAll(/\bas\s+([A-Za-z_][^;,)\n=]*)/g)].filter((m) => m[1] !== 'const' && mentionsSdk(m[1] as string)).map((m) => `as ${(m[1] as string).trim()}`);
  return [...escapes, ...sdkCasts];
}

/** Files on an import cycle (Tarjan's strongly connected components of more than one file, or a self-import). */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layering of src/', () => {
  it('parses the imports it checks (guards against a parser that finds nothing)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(LOCAL.length).toBeGreaterThan(300);
    expect(LOCAL.some((e) => e.from === 'app.ts' && e.to === 'inspection.ts')).toBe(true);
    expect(LOCAL.some((e) => e.from === 'gateway/dispatch.ts' && e.to === 'gateway/relay.ts')).toBe(true);
    expect(PACKAGES.some((e) => e.from.startsWith('store/') && e.spec === 'better-sqlite3')).toBe(true);
  });

  it('every folder of src/ has a layer', () => {
    expect([...new Set(FILES.map(layerOf))].filter((l) => !(l in ALLOWED))).toEqual([]);
  });

  it('no layer imports one it may not', () => {
    const wrong = LOCAL.filter((e) => {
      const from = layerOf(join(SRC, e.from));
      const to = layerOf(join(SRC, e.to));
      return from !== to && !(ALLOWED[from] ?? []).includes(to);
    });
    expect(wrong.map((e) => `${e.from} -> ${e.spec}`)).toEqual([]);
  });

  it('libraries of I/O stay in their layer; core, pipeline and detectors import no package', () => {
    const wrong = PACKAGES.filter((e) => {
      const from = layerOf(join(SRC, e.from));
      const owners = PACKAGE_OWNERS[packageName(e.spec)];
      return NO_PACKAGES.has(from) || (owners !== undefined && !owners.includes(from));
    });
    expect(wrong.map((e) => `${e.from} -> ${e.spec}`)).toEqual([]);
  });

  it('the top of detectors/ holds only detectors: every file there but index.ts is imported by index.ts', () => {
    const top = readdirSync(join(SRC, 'detectors'), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && e.name !== 'index.ts')
      .map((e) => `detectors/${e.name}`);
    const fromIndex = new Set(LOCAL.filter((e) => e.from === join('detectors', 'index.ts')).map((e) => e.to));
    expect(top.length).toBeGreaterThan(5);
    expect(top.filter((f) => !fromIndex.has(f.split('/').join(sep)))).toEqual([]);
  });

  it('casts at a library boundary live in one adapter per surface, in every layer that meets one', () => {
    const casting = FILES.filter((f) => BOUNDARY_LAYERS.has(layerOf(f)))
      .filter((f) => boundaryCasts(readFileSync(f, 'utf8')).length > 0)
      .map((f) => relative(SRC, f).split(sep).join('/'));
    expect(casting.filter((f) => !CAST_ADAPTERS.has(f))).toEqual([]);
    // Both SDK adapters are seen by the check (a check that finds nothing proves nothing).
    expect(casting).toContain('gateway/sdk-server.ts');
    expect(casting).toContain('upstream/sdk-client.ts');
  });

  it('the cast check sees escapes, SDK types and aliases of them, and not renamed imports', () => {
    const sdk = "import { Client as SdkClient, type Transport } from '@modelcontextprotocol/client';\n";
    expect(boundaryCasts('const a = b as never;')).toHaveLength(1);
    expect(boundaryCasts('const a = b as unknown as Logger;')).toHaveLength(1);
    expect(boundaryCasts(`${sdk}const c = x as SdkClient;`)).toEqual(['as SdkClient']);
    expect(boundaryCasts(`${sdk}type Message = Parameters<Transport['send']>[0];\nconst m = v as Message;`)).toEqual(['as Message']);
    expect(boundaryCasts(`${sdk}const t = new SdkClient(); const k = 'x' as const; const e = err as Error;`)).toEqual([]);
    expect(boundaryCasts(`${sdk}export function f(req: unknown): void {\n  g((req as Transport).x);\n}`)).toEqual(['as Transport']);
    // A cast of an SDK type in a file that does not import it from the SDK is not this check's business.
    expect(boundaryCasts('const c = x as Client;')).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(LOCAL)).toEqual([]);
  });

  it('the cycle finder finds a cycle and the layer check a forbidden edge', () => {
    const edges = [{ from: 'a.ts', to: 'b.ts', spec: './b.js' }, { from: 'b.ts', to: 'c.ts', spec: './c.js' }, { from: 'c.ts', to: 'a.ts', spec: './a.js' }];
    expect(cycles(edges)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(edges.slice(0, 2))).toEqual([]);
    expect(layerOf(join(SRC, 'gateway', 'x.ts'))).toBe('gateway');
    expect(ALLOWED.gateway).not.toContain('pipeline');
    expect(ALLOWED.gateway).not.toContain('store');
    expect(ALLOWED.detectors).not.toContain('store');
    expect(ALLOWED.detectors).not.toContain('classifier');
    expect(ALLOWED.cli).not.toContain('upstream');
  });
});
