/**
 * `watchdog stdio -- <command> [args…]` wraps one server without a config file (the original
 * single-server usage). The config is built through the same schema as a file, so defaults and the
 * frozen runtime form are identical; the upstream is named after the command's basename and
 * `gateway.prefix` is `never`, so the wrapped server's tools keep their own names.
 */
import { basename } from 'node:path';
import { normaliseConfig } from './normalise.js';
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
  /** Folder for the upstream's cwd and the store path; default `process.cwd()`. */
  baseDir?: string;
}

export function configFromCommand(command: string, args: readonly string[], options: CommandConfigOptions = {}): Config {
  if (command.trim() === '') throw new TypeError('watchdog stdio -- <command>: the command is empty');
  const parsed = ConfigSchema.parse({
    gateway: { prefix: 'never' },
    upstreams: [{ name: upstreamNameFromCommand(command), command, args: [...args] }],
  });
  return normaliseConfig(parsed, options.baseDir ?? process.cwd());
}
