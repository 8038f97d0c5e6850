/**
 * Filesystem scope (issue 11) on a real temporary file tree: path arguments are resolved (`~`, `..`,
 * `file:` URIs, symlinks, a missing file's folder) and judged by whole segments; the always-denied files
 * are refused for every upstream; which arguments are paths comes from names and the input schema.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodePathProbe, sensitivePath, staticCatalogView, type Envelope, type PathProbe } from '../../../src/core/index.js';
import { createFsScopeDetector } from '../../../src/detectors/fs-scope.js';
import { pathArguments } from '../../../src/detectors/paths/path-arguments.js';
import { tempDir } from '../../helpers/gateway.js';

const home = tempDir('fs-scope-home-');
const project = join(home, 'work', 'project');
const call = (args: Record<string, unknown>, upstream = 'fs', tool = 'fs__read_file'): Envelope => ({
  method: 'tools/call',
  direction: 'to_upstream',
  upstream,
  tool,
  payload: { name: 'read_file', arguments: args },
});

function detector(probe: PathProbe = nodePathProbe({ home }), schema?: unknown) {
  const catalog = staticCatalogView(schema === undefined ? [] : [{ upstream: 'fs', name: 'read_file', publicName: 'fs__read_file', inputSchema: schema }]);
  return createFsScopeDetector({ scopes: new Map([['fs', [project]]]) }, { paths: probe, catalog });
}

const rules = (args: Record<string, unknown>, upstream = 'fs', d = detector()) => d.inspect({ envelope: call(args, upstream), fields: [] }).map((f) => f.rule);

beforeAll(() => {
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, '.git', 'hooks'), { recursive: true });
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'not a key');
  writeFileSync(join(home, 'secret.txt'), 'outside');
  writeFileSync(join(project, 'notes.txt'), 'inside');
  symlinkSync(join(home, 'secret.txt'), join(project, 'escape.txt'));
  symlinkSync(join(home, '.ssh'), join(project, 'keys'));
  symlinkSync(join(project, 'src'), join(home, 'src-link'));
});

describe('fs-scope', () => {
  it('passes paths inside the scope untouched: absolute, relative, ~, file:, a file not yet written', () => {
    for (const path of [join(project, 'notes.txt'), 'notes.txt', 'src/../notes.txt', '~/work/project/src', pathToFileURL(join(project, 'notes.txt')).href, join(project, 'src', 'new', 'file.ts')]) {
      expect(rules({ path }), path).toEqual([]);
    }
  });

  it('blocks traversal, absolute paths and ~ outside the scope', () => {
    expect(rules({ path: '../../secret.txt' })).toEqual(['fs-scope/outside-scope']);
    expect(rules({ path: join(home, 'secret.txt') })).toEqual(['fs-scope/outside-scope']);
    expect(rules({ path: '~/secret.txt' })).toEqual(['fs-scope/outside-scope']);
    expect(rules({ path: `${project}2/x` })).toEqual(['fs-scope/outside-scope']);
  });

  it('follows symlinks: a link inside pointing outside is outside', () => {
    const [finding] = detector().inspect({ envelope: call({ path: join(project, 'escape.txt') }), fields: [] });
    expect(finding?.rule).toBe('fs-scope/outside-scope');
    expect(finding?.reason).toContain('a link to');
    expect(rules({ path: join(home, 'src-link', 'x.ts') })).toEqual(['fs-scope/outside-scope']);
  });

  it('always denies credentials, git hooks and config, shell rc, .env and MCP client configs, scope or not', () => {
    const denied = ['../../.ssh/id_rsa', join(project, 'keys', 'id_rsa'), join(project, '.git', 'hooks', 'pre-commit'), join(project, '.git', 'config'), '.env', '.env.local', '~/.bashrc', '~/.aws/credentials', '~/.config/Claude/claude_desktop_config.json', '.cursor/mcp.json', '.vscode/mcp.json', '~/.claude.json'];
    for (const path of denied) {
      expect(rules({ path }), path).toEqual(['fs-scope/sensitive-path']);
      expect(rules({ path }, 'other'), `${path} without scope`).toEqual(['fs-scope/sensitive-path']);
    }
    for (const path of ['.env.example', 'notes.ssh.md', '.environment/x', '.github/workflows/ci.yml', 'docs/.git-blame-ignore', join(project, '.git', 'HEAD')]) expect(rules({ path }), path).toEqual([]);
  });

  it('an upstream without scope is only refused the sensitive files', () => {
    expect(rules({ path: '/etc/hosts' }, 'other')).toEqual([]);
    expect(rules({ path: join(home, 'secret.txt') }, 'other')).toEqual([]);
  });

  it('reads arrays, nested objects, destination/source and file: URIs; leaves other URIs and non-path names alone', () => {
    expect(rules({ paths: [join(project, 'notes.txt'), join(home, 'secret.txt')] })).toEqual(['fs-scope/outside-scope']);
    expect(rules({ source: join(project, 'notes.txt'), destination: join(project, '.git', 'hooks', 'post-merge') })).toEqual(['fs-scope/sensitive-path']);
    expect(rules({ edits: [{ filePath: '/etc/passwd' }] })).toEqual(['fs-scope/outside-scope']);
    expect(rules({ uri: pathToFileURL(join(home, 'secret.txt')).href })).toEqual(['fs-scope/outside-scope']);
    expect(rules({ uri: 'https://example.com/a/../../etc' })).toEqual([]);
    expect(rules({ query: '/etc/passwd', content: '../../x', profile: '/etc' })).toEqual([]);
  });

  it('reads format: uri from the input schema', () => {
    const schema = { type: 'object', properties: { target: { type: 'string', format: 'uri' } } };
    const target = pathToFileURL(join(home, 'secret.txt')).href;
    expect(rules({ target }, 'fs', detector(undefined, schema))).toEqual(['fs-scope/outside-scope']);
    expect(rules({ target })).toEqual([]);
  });

  it('refuses what it cannot resolve when the upstream has a scope', () => {
    expect(rules({ path: 'file://evil-host/etc/passwd' })).toEqual(['fs-scope/unchecked-path']);
    expect(rules({ path: 'a\u0000b' })).toEqual(['fs-scope/unchecked-path']);
    expect(rules({ path: 'file://evil-host/etc/passwd' }, 'other')).toEqual([]);
    expect(rules({ paths: Array.from({ length: 1001 }, () => 'notes.txt') })).toEqual(['fs-scope/unchecked-path']);
  });

  it('folds case where the file system does', () => {
    const folding: PathProbe = { ...nodePathProbe({ home }), caseInsensitive: true };
    expect(rules({ path: join(project.toUpperCase(), 'notes.txt') }, 'fs', detector(folding))).toEqual([]);
    expect(rules({ path: '~/.SSH/id_rsa' }, 'fs', detector(folding))).toEqual(['fs-scope/sensitive-path']);
    expect(rules({ path: join(project.toUpperCase(), 'notes.txt') })).toEqual(['fs-scope/outside-scope']);
    expect(sensitivePath('/home/u/.SSH/id_rsa', false)).toBeUndefined();
  });

  it('finds path arguments by name and schema, reporting where they are', () => {
    const found = pathArguments({ path: 'a', list: [{ file_path: 'b' }], url: 'file:///c', text: 'd' }, undefined).found;
    expect(found).toEqual([
      { at: 'arguments.path', value: 'a', kind: 'path' },
      { at: 'arguments.list[0].file_path', value: 'b', kind: 'path' },
      { at: 'arguments.url', value: 'file:///c', kind: 'uri' },
    ]);
  });
});
