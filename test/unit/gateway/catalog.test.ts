/**
 * The merged catalog (issue 2): public names per prefix mode, deterministic shortening and collision
 * handling (never a silent drop), allow/deny globs, reversible rewriting of ambiguous resource URIs,
 * routing by URI template, and screening (withheld items).
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog, effectivePrefix, fitName, globMatcher, parseRewrittenUri, routeUri, type CatalogSource } from '../../../src/gateway/index.js';
import { EMPTY_SLICE } from '../../../src/upstream/catalog-slice.js';

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

function source(upstream: string, tools: string[], extra: Partial<CatalogSource> = {}, slice: Partial<typeof EMPTY_SLICE> = {}): CatalogSource {
  return {
    upstream,
    prefix: upstream,
    separator: '__',
    exposeTool: () => true,
    slice: { ...EMPTY_SLICE, tools: tools.map((name) => ({ name, inputSchema: { type: 'object' } })), ...slice },
    ...extra,
  };
}

describe('public names', () => {
  it('prefixes per mode: always, conditional (only with more than one upstream), never; an override wins', () => {
    expect(effectivePrefix('always', undefined, 'fs', 1)).toBe('fs');
    expect(effectivePrefix('conditional', undefined, 'fs', 1)).toBe('');
    expect(effectivePrefix('conditional', undefined, 'fs', 2)).toBe('fs');
    expect(effectivePrefix('never', 'files', 'fs', 3)).toBe('');
    expect(effectivePrefix('always', 'files', 'fs', 1)).toBe('files');
    expect(effectivePrefix('always', '', 'fs', 2)).toBe('');
  });

  it('keeps valid names and fits invalid or long ones deterministically', () => {
    expect(fitName('fs__read_file')).toBe('fs__read_file');
    const dotted = fitName('fs__read.file');
    expect(dotted).toMatch(VALID);
    expect(dotted).toMatch(/^fs__read_file_[0-9a-f]{8}$/);
    expect(fitName('fs__read.file')).toBe(dotted);
    const long = `srv__${'a'.repeat(80)}`;
    expect(fitName(long)).toMatch(VALID);
    expect(fitName(long)).toHaveLength(64);
    expect(fitName(long)).not.toBe(fitName(`srv__${'a'.repeat(81)}`));
  });

  it('matches allow/deny globs', () => {
    const match = globMatcher(['read_*', 'get?']);
    expect(match('read_file')).toBe(true);
    expect(match('gets')).toBe(true);
    expect(match('write_file')).toBe(false);
    expect(match('get')).toBe(false);
  });
});

describe('buildCatalog', () => {
  it('routes every public name back to its owner', async () => {
    const catalog = await buildCatalog([source('fs', ['read_file']), source('mem', ['read_file', 'create'])]);
    expect(catalog.tools.map((t) => t.name)).toEqual(['fs__read_file', 'mem__read_file', 'mem__create']);
    expect(catalog.tool.get('mem__read_file')).toEqual({ upstream: 'mem', name: 'read_file' });
  });

  it('resolves collisions deterministically, keeps both tools and reports the rename', async () => {
    const sources = [source('a', ['search'], { prefix: '' }), source('b', ['search'], { prefix: '' })];
    const first = await buildCatalog(sources);
    const again = await buildCatalog(sources);
    expect(first.tools).toHaveLength(2);
    expect(first.tools[0]!.name).toBe('search');
    expect(first.tools[1]!.name).toMatch(/^search_[0-9a-f]{8}$/);
    expect(again.tools.map((t) => t.name)).toEqual(first.tools.map((t) => t.name));
    expect(first.renames).toEqual([{ upstream: 'b', kind: 'tool', original: 'search', public: first.tools[1]!.name, reason: 'collision' }]);
    expect(first.tool.get(first.tools[1]!.name as string)).toEqual({ upstream: 'b', name: 'search' });
  });

  it('reports a too-long name it shortened instead of dropping it', async () => {
    const long = 'x'.repeat(70);
    const catalog = await buildCatalog([source('srv', [long])]);
    expect(catalog.tools).toHaveLength(1);
    expect(catalog.tools[0]!.name).toMatch(VALID);
    expect(catalog.renames[0]).toMatchObject({ original: long, reason: 'invalid-name' });
  });

  it('applies the tool filter and withholds what the screen rejects', async () => {
    const catalog = await buildCatalog(
      [source('fs', ['read_file', 'delete_file', 'poisoned'], { exposeTool: (n) => !n.startsWith('delete') })],
      async (_u, _k, item) => (item.name === 'poisoned' ? undefined : item),
    );
    expect(catalog.tools.map((t) => t.name)).toEqual(['fs__read_file']);
    expect(catalog.withheld).toEqual([{ upstream: 'fs', kind: 'tool', name: 'poisoned' }]);
  });

  it('rewrites a URI two upstreams expose, reversibly, and routes templates', async () => {
    const resources = [{ uri: 'file:///README.md', name: 'readme' }];
    const catalog = await buildCatalog([
      source('a', [], {}, { resources }),
      source('b', [], {}, { resources, resourceTemplates: [{ uriTemplate: 'notes://{id}/body', name: 'note' }] }),
    ]);
    const uris = catalog.resources.map((r) => r.uri as string);
    expect(uris).toHaveLength(2);
    expect(new Set(uris).size).toBe(2);
    for (const [i, owner] of ['a', 'b'].entries()) {
      expect(parseRewrittenUri(uris[i]!)).toEqual({ upstream: owner, name: 'file:///README.md' });
      expect(routeUri(catalog, uris[i]!)).toEqual({ upstream: owner, name: 'file:///README.md' });
    }
    expect(routeUri(catalog, 'notes://42/body')).toEqual({ upstream: 'b', name: 'notes://42/body' });
    expect(routeUri(catalog, 'notes://42/other')).toBeUndefined();
  });
});
