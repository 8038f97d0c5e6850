/**
 * Which config file to use (issue 2): `--config PATH` > `$WATCHDOG_CONFIG` > `./watchdog.yaml` >
 * `~/.config/mcp-watchdog/watchdog.yaml`. A path the user named (flag or variable) must exist — a typo
 * there must not silently fall through to another file; the two conventional locations are only used
 * when present. Everything is injected (env, cwd, home, exists) so no test touches the real home.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PRODUCT_NAME } from '../core/index.js';
import { ConfigError } from './errors.js';
import type { EnvMap } from './interpolate.js';

export interface DiscoverOptions {
  /** Value of `--config`, if given. */
  flag?: string;
  /** Default `process.env`. */
  env?: EnvMap;
  /** Default `process.cwd()`. */
  cwd?: string;
  /** Default `os.homedir()`. */
  home?: string;
  /** Default `fs.existsSync`. */
  exists?: (path: string) => boolean;
}

/** Absolute path of the config file, or `undefined` when none of the places holds one. */
export function discoverConfig(options: DiscoverOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const exists = options.exists ?? existsSync;
  const explicit: Array<[string | undefined, string]> = [
    [options.flag, '--config'],
    [env['WATCHDOG_CONFIG'], '$WATCHDOG_CONFIG'],
  ];
  for (const [given, source] of explicit) {
    if (given === undefined || given === '') continue;
    const path = resolve(cwd, given);
    if (!exists(path)) throw new ConfigError(given, [{ path: '', message: `file not found (given by ${source})` }]);
    return path;
  }
  const conventional = [join(cwd, 'watchdog.yaml'), join(options.home ?? homedir(), '.config', PRODUCT_NAME, 'watchdog.yaml')];
  return conventional.find((path) => exists(path));
}
