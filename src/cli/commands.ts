/**
 * Subcommands beyond the two serving modes, dispatched by name after the one parser (args.ts) has
 * checked their flags. Each returns an exit code.
 */
import type { ParsedArgs } from './args.js';
import { runEval } from './eval.js';
import { importCommand } from './import-command.js';
import { scanCommand } from './scan-command.js';
import { statusCommand } from './status.js';

export async function runExtraCommand(args: ParsedArgs): Promise<number> {
  switch (args.command) {
    case 'eval':
      return runEval(args, process.stdout);
    case 'scan':
      return scanCommand(args);
    case 'status':
      return statusCommand(args);
    case 'import':
      return importCommand(args);
    default:
      process.stderr.write(`watchdog: no handler for "${args.command}"\n`);
      return 2;
  }
}
