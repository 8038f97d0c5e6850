// ESM load hook that lets @modelcontextprotocol/conformance run on Node 20.
//
// Contract: `node --import ./test/conformance/node20-hook.mjs <conformance>/dist/index.js …` behaves as on
// Node 22. The suite's bundle imports `globSync` from `fs`, an export Node added in 22, so on Node 20 the
// whole CLI dies at link time even though only its `tier-check` command ever calls it. This hook rewrites
// that one import specifier in the suite's own source text and defines a small stand-in with the same
// name; nothing else is touched. On a Node that has `fs.globSync` it registers nothing.
//
// One file, two roles: in the main thread it registers itself; Node then loads it again in the hooks
// thread (where `isMainThread` is false) and uses the exported `load` hook.
import fs from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const SUITE_PATH = '/@modelcontextprotocol/conformance/';
// Matches the bundle's `import{…}from"fs"` (or "node:fs") statement; quotes may be ' or ".
const FS_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(["'])(?:node:)?fs\2/;
const GLOB_SPECIFIER = /^globSync(?:\s+as\s+([\w$]+))?$/;

if (isMainThread && typeof fs.globSync !== 'function') register(import.meta.url);

/**
 * Stand-in for `fs.globSync`, injected into the suite's source as a hoisted function (so it must be
 * self-contained). Supports what the suite asks for — `**\/NAME` or a plain relative path under `cwd`;
 * anything else throws rather than returning a silently wrong answer.
 */
function globSyncShim(pattern, options = {}) {
  const fsMod = process.getBuiltinModule ? process.getBuiltinModule('node:fs') : null;
  const pathMod = process.getBuiltinModule ? process.getBuiltinModule('node:path') : null;
  if (!fsMod || !pathMod) throw new Error('globSync shim: process.getBuiltinModule is unavailable');
  const cwd = options.cwd ?? process.cwd();
  if (typeof pattern !== 'string' || /[*?[{]/.test(pattern.replace(/^\*\*\//, ''))) {
    throw new Error(`globSync shim (Node 20): unsupported pattern ${JSON.stringify(pattern)}`);
  }
  if (!pattern.startsWith('**/')) return fsMod.existsSync(pathMod.join(cwd, pattern)) ? [pattern] : [];
  const name = pattern.slice(3);
  return fsMod
    .readdirSync(cwd, { recursive: true })
    .map(String)
    .filter((p) => p === name || p.endsWith(pathMod.sep + name));
}

/** Removes `globSync` from the fs import and appends the shim under the local name the bundle uses. */
export function rewriteSuiteSource(source) {
  const match = FS_IMPORT.exec(source);
  if (!match) return source;
  const specifiers = match[1].split(',').map((s) => s.trim()).filter(Boolean);
  const glob = specifiers.map((s) => GLOB_SPECIFIER.exec(s)).find(Boolean);
  if (!glob) return source;
  const localName = glob[1] ?? 'globSync';
  const kept = specifiers.filter((s) => !GLOB_SPECIFIER.test(s)).join(',');
  const statement = match[0].replace(match[1], kept);
  const shim = globSyncShim.toString().replace(/^function globSyncShim/, `function ${localName}`);
  return source.replace(match[0], statement) + `\n${shim}\n`;
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.includes(SUITE_PATH) || result.format !== 'module' || result.source == null) return result;
  const text = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  if (!text.includes('globSync')) return result;
  return { ...result, source: rewriteSuiteSource(text), shortCircuit: true };
}
