/**
 * Subcommands beyond the two serving modes. Each returns an exit code; `undefined` means "not mine".
 */
import { ConfigError, discoverConfig, loadConfig, type Config } from '../config/index.js';
import type { ParsedArgs } from './args.js';
import { stringOption } from './args.js';
import { configFromClientFile } from './client-config.js';
import { evalCommand } from './eval.js';
import { formatScan, parseSeverity, scanExitCode, scanServers } from './scan.js';
import { statusCommand } from './status.js';

export const EXTRA_COMMANDS = `  status   [--config FILE] [--json]     what running gateways are doing, and recent findings
  scan     [--config FILE | --client-config FILE] [--json] [--fail-on SEVERITY]
                                      audit upstreams' tools, prompts and instructions (exit 1 on findings)
  eval     FILE_OR_DIR… [--json] [--predictions OUT.jsonl] [--baseline FILE]
                                      measure the detectors on a labelled corpus
`;

export async function runExtraCommand(command: string, args: ParsedArgs, argv: readonly string[]): Promise<number | undefined> {
  if (command === 'eval') return evalCommand(argv.slice(argv.indexOf('eval') + 1), process.stdout);
  if (command === 'scan') return scan(args);
  if (command === 'status') return statusCommand(args);
  return undefined;
}

async function scan(args: ParsedArgs): Promise<number> {
  const failOn = parseSeverity(stringOption(args, 'fail-on'));
  if (!failOn) {
    process.stderr.write('watchdog scan: --fail-on takes info, low, medium, high or critical\n');
    return 2;
  }
  let config: Config;
  try {
    const clientFile = stringOption(args, 'client-config');
    if (clientFile) config = configFromClientFile(clientFile);
    else {
      const path = discoverConfig({ flag: stringOption(args, 'config') });
      if (!path) throw new Error('no config file: pass --config FILE or --client-config FILE');
      config = loadConfig(path).config;
    }
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `watchdog scan: ${(err as Error).message}`}\n`);
    return 2;
  }
  const reports = await scanServers(config);
  process.stdout.write(args.options.has('json') ? `${JSON.stringify({ servers: reports }, null, 2)}\n` : formatScan(reports));
  return scanExitCode(reports, failOn);
}
