/**
 * Ground vocabulary has one definition each (issue 8 item 10): the product version agrees with
 * package.json, and the glob compiler, the severity order, the push-method table, the `Json` type and
 * the path formatter are written once under src/ (in core), everything else importing them from core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPath, globMatches, PRODUCT_VERSION, SEVERITIES } from '../../../src/core/index.js';
import { globMatcher } from '../../../src/gateway/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function filesContaining(needle: string): string[] {
  return sources(SRC).filter((f) => readFileSync(f, 'utf8').includes(needle)).map((f) => relative(SRC, f));
}

describe('ground vocabulary', () => {
  it('the product version is the package version', () => {
    expect(PRODUCT_VERSION).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('is defined once', () => {
    expect(filesContaining(".replace(/\\*/g, '.*')")).toEqual(['core/glob.ts']);
    expect(filesContaining("'info', 'low', 'medium', 'high', 'critical'")).toEqual(['core/findings.ts']);
    expect(filesContaining("'sampling/createMessage': 'sampling'")).toEqual(['core/vocabulary.ts']);
    expect(filesContaining("'resources/templates/list', 'initialize'")).toEqual(['core/vocabulary.ts']);
    expect(filesContaining('type Json =')).toEqual(['core/vocabulary.ts']);
    expect(filesContaining('function formatPath(')).toEqual(['core/json-path.ts']);
  });

  it('vocabulary is imported from core, not re-exported by a layer above it', () => {
    const VOCABULARY = /\b(?:Json|PushMethod|PUSH_METHODS|LIST_METHODS|formatPath|globMatches|globToRegExp|SEVERITIES|severityRank)\b/;
    const reexports = sources(SRC)
      .filter((f) => !relative(SRC, f).startsWith('core'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^export (?:type )?\{([^}]*)\}(?: from [^;]+)?;/gm)].filter((m) => VOCABULARY.test(m[1] as string)).map(() => relative(SRC, f)));
    expect(reexports).toEqual([]);
  });

  it('formats a path the same way for a field and for a config mistake', () => {
    expect(formatPath(['upstreams', 1, 'name'])).toBe('upstreams[1].name');
    expect(formatPath(['tools', 0, 'inputSchema', 'x-y'])).toBe('tools[0].inputSchema["x-y"]');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('');
  });

  it('policy keys and tool filters match globs the same way', () => {
    for (const [glob, name, expected] of [['shell__*', 'shell__run', true], ['a?c', 'abc', true], ['a.c', 'abc', false], ['x', 'xy', false]] as const) {
      expect(globMatches(glob, name)).toBe(expected);
      expect(globMatcher([glob])(name)).toBe(expected);
    }
    expect(SEVERITIES.at(-1)).toBe('critical');
  });
});
