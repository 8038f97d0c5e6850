/**
 * The config a command runs on: `stdio -- <command…>` builds one in memory; everything else discovers
 * the file (--config > $WATCHDOG_CONFIG > ./watchdog.yaml > ~/.config/mcp-watchdog/watchdog.yaml).
 * Problems are printed to stderr (file:line:column path: message) and `undefined` is returned, so the
 * caller exits 2 with nothing started.
 */
import { ConfigError, configFromCommand, discoverConfig, loadConfig, type Config } from '../config/index.js';
import { stringOption, type ParsedArgs } from './args.js';
import { checkConfigPolicy } from '../inspection.js';

export interface CliConfig {
  config: Config;
  path?: string;
  hash?: string;
}

export function loadCliConfig(args: ParsedArgs, command: string): CliConfig | undefined {
  try {
    if (command === 'stdio' && args.rest && args.rest.length > 0) return { config: configFromCommand(args.rest[0] as string, args.rest.slice(1)) };
    const path = discoverConfig({ flag: stringOption(args, 'config') });
    if (!path) {
      process.stderr.write('watchdog: no config file: pass --config FILE, set $WATCHDOG_CONFIG, or create ./watchdog.yaml\n');
      return undefined;
    }
    const loaded = loadConfig(path, { checks: [checkConfigPolicy] });
    for (const w of loaded.warnings) process.stderr.write(`watchdog: warning: ${loaded.path}${w.line ? `:${w.line}` : ''} ${w.path} ${w.message}\n`);
    return { config: loaded.config, path: loaded.path, hash: loaded.hash };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}
