/**
 * Where the gateway keeps its state when the config does not say (issue 7, item 18): the user's state
 * folder, never the working directory — assistants spawn stdio servers from wherever they like, often a
 * folder the user cannot write (`/`). `$XDG_STATE_HOME/mcp-watchdog` when that variable holds an
 * absolute path (on any platform: the user asked for it), else `~/Library/Application Support/mcp-watchdog`
 * on macOS, `%LOCALAPPDATA%\mcp-watchdog` on Windows, `~/.local/state/mcp-watchdog` elsewhere.
 * Everything is injectable so tests never touch the real home.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, win32 } from 'node:path';
import { PRODUCT_NAME } from '../core/index.js';
import type { EnvMap } from './interpolate.js';
import { isRedisUrl, sqlitePathOf } from './store-target.js';

export interface StateDirOptions {
  /** Default `process.env`. */
  env?: EnvMap;
  /** Default `os.homedir()`. */
  home?: string;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
}

/** The state folder is named after the product. */
const APP = PRODUCT_NAME;
export const STORE_FILE = 'watchdog.db';

export function defaultStateDir(options: StateDirOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, APP);
  const home = options.home ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP);
  if (platform === 'win32') return win32.join(env['LOCALAPPDATA'] || win32.join(home, 'AppData', 'Local'), APP);
  return join(home, '.local', 'state', APP);
}

/**
 * The SQLite file a config names, else the default one in the state folder. With a `redis://` store
 * (issue 16) that is the replica's local file for findings, events and judge verdicts: `gateway.redis.localStore`.
 */
export function storePathOf(gateway: { store?: string | undefined; redis?: { localStore?: string | undefined } | undefined }, options: StateDirOptions = {}): string {
  const file = isRedisUrl(gateway.store) ? gateway.redis?.localStore : gateway.store;
  return file === undefined ? join(defaultStateDir(options), STORE_FILE) : sqlitePathOf(file);
}
