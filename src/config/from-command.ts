/**
 * `watchdog stdio -- <command> [args…]` wraps one server without a config file (the original
 * single-server usage). The config is built through the same schema as a file, so defaults and the
 * frozen runtime form are identical; the upstream is named after the command's basename and
 * `gateway.prefix` is `never`, so the wrapped server's tools keep their own names. The store is the
 * default one in the user's state folder: the working directory an assistant spawns us in may be `/`.
 */
import { basename } from 'node:path';
import { normaliseConfig } from './normalise.js';
import type { StateDirOptions } from './state-dir.js';
import { ConfigSchema, type Config } from './schema.js';

/** `"/usr/bin/My Server.py"` → `"my-server-py"`; falls back to `"upstream"` when nothing is left. */
export function upstreamNameFromCommand(command: string): string {
  const name = basename(command.replace(/\\/g, '/'))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return name === '' ? 'upstream' : name;
}

export interface CommandConfigOptions {
  /** Folder for the upstream's cwd; default `process.cwd()`. The store is in the user's state folder, never here. */
  baseDir?: string;
  /** Where the state folder is looked up (tests); default the process's env and home. */
  stateDir?: StateDirOptions;
}

export function configFromCommand(command: string, args: readonly string[], options: CommandConfigOptions = {}): Config {
  if (command.trim() === '') throw new TypeError('watchdog stdio -- <command>: the command is empty');
  const parsed = ConfigSchema.parse({
    gateway: { prefix: 'never' },
    upstreams: [{ name: upstreamNameFromCommand(command), command, args: [...args] }],
  });
  return normaliseConfig(parsed, options.baseDir ?? process.cwd(), options.stateDir);
}
