/**
 * `npm install -g .` from a checkout (issue 13), without network: the `prepare` script builds dist/ when
 * it can and skips (exit 0, saying why) when there is no src/ or no TypeScript, so `npm ci` keeps
 * working in CI and in the Docker build; a global install of a checkout with its dependencies links a
 * working `watchdog` binary; and the packed tarball ships dist/ with both bin entries and no sources.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/gateway.js';

const run = promisify(execFile);
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; scripts: Record<string, string> };

/** A checkout without dist/: the tracked files that matter, and (optionally) the installed dependencies. */
function checkout(withDependencies: boolean, withSources = true): string {
  const dir = tempDir('watchdog-checkout-');
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md']) cpSync(join(ROOT, file), join(dir, file));
  mkdirSync(join(dir, 'scripts'));
  for (const script of ['prepare.js', 'copy-console-assets.js']) cpSync(join(ROOT, 'scripts', script), join(dir, 'scripts', script));
  cpSync(join(ROOT, 'models'), join(dir, 'models'), { recursive: true });
  if (withSources) cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  if (withDependencies) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('npm install from a checkout', () => {
  it('prepare skips cleanly without src/ (the Docker build) and without TypeScript (a production install)', async () => {
    expect(PACKAGE.scripts.prepare).toBe('node scripts/prepare.js');
    const noSources = await run(process.execPath, ['scripts/prepare.js'], { cwd: checkout(true, false) });
    expect(noSources.stderr).toContain('no src/ here; not building');
    const noTypescript = await run(process.execPath, ['scripts/prepare.js'], { cwd: checkout(false) });
    expect(noTypescript.stderr).toContain('TypeScript is not installed');
  });

  it('npm install -g . builds and links a working binary', async () => {
    const dir = checkout(true);
    const prefix = tempDir('watchdog-global-');
    await run('npm', ['install', '-g', '.', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: dir, timeout: 240_000 });
    expect(existsSync(join(dir, 'dist/cli/main.js'))).toBe(true);
    for (const name of Object.keys(PACKAGE.bin)) {
      const { stdout } = await run(join(prefix, 'bin', name), ['--version']);
      expect(stdout).toBe(`mcp-watchdog ${PACKAGE.version}\n`);
    }
    const help = await run(join(prefix, 'bin', 'watchdog'), ['import', '--help']);
    expect(help.stdout).toMatch(/^usage: watchdog import/);
  }, 300_000);

  it('packs dist/ with both bin entries and no sources or tests', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const bin of Object.values(PACKAGE.bin)) expect(files).toContain(bin);
    expect(readFileSync(join(ROOT, PACKAGE.bin.watchdog as string), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(files).toContain('README.md');
    expect(files).toContain('models/semantic-scorer.bin');
  });
});
