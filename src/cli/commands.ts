/**
 * Subcommands beyond the two serving modes, dispatched by name after the one parser (args.ts) has
 * checked their flags. Each returns an exit code. Each is imported only when run: `status` and
 * `findings` should not pay for loading the detectors and the SDK.
 */
import type { ParsedArgs } from './args.js';

export async function runExtraCommand(args: ParsedArgs): Promise<number> {
  switch (args.command) {
    case 'eval':
      return (await import('./eval.js')).runEval(args, process.stdout);
    case 'scan':
      return (await import('./scan-command.js')).scanCommand(args);
    case 'status':
      return (await import('./status.js')).statusCommand(args);
    case 'findings':
      return (await import('./findings.js')).findingsCommand(args);
    case 'pins':
      return (await import('./pins.js')).pinsCommand(args);
    case 'import':
      return (await import('./import-command.js')).importCommand(args);
    default:
      process.stderr.write(`watchdog: no handler for "${args.command}"\n`);
      return 2;
  }
}
