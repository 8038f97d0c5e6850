#!/usr/bin/env node
// npm's `prepare` step (issue 13): builds dist/ so `npm install -g .` from a fresh clone (and `npm pack`,
// and installing from git) links a working `watchdog` binary. Skips, with a line saying why, when there
// is nothing to build (no src/: the Docker build's `npm ci` runs before src is copied) or nothing to build
// with (TypeScript absent: a production install). `npm ci` in CI builds here, which `npm test` repeats.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const skip = (why) => {
  console.error(`mcp-watchdog prepare: ${why}; not building`);
  process.exit(0);
};

if (!existsSync(join(root, 'src', 'cli', 'main.ts'))) skip('no src/ here');
let tsc;
try {
  // typescript's `exports` map hides bin/tsc from resolve(); its package.json is exported.
  tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  skip('TypeScript is not installed (a production install)');
}
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts', 'copy-console-assets.js')], { stdio: 'inherit' });
console.error('mcp-watchdog prepare: built dist/');
