/**
 * Command-line parsing for `watchdog`: a subcommand, `--flag value` / `--flag=value` options, booleans,
 * and everything after `--` kept verbatim (the wrapped server's command line).
 */
export interface ParsedArgs {
  command?: string;
  options: Map<string, string | true>;
  positional: string[];
  rest?: string[];
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'version', 'update-baseline', 'direct']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { options: new Map(), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      parsed.rest = argv.slice(i + 1);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq > 0) parsed.options.set(name, arg.slice(eq + 1));
      else if (BOOLEAN_FLAGS.has(name) || i + 1 >= argv.length || (argv[i + 1] as string).startsWith('--')) parsed.options.set(name, true);
      else parsed.options.set(name, argv[++i] as string);
    } else if (arg === '-h') parsed.options.set('help', true);
    else if (parsed.command === undefined) parsed.command = arg;
    else parsed.positional.push(arg);
  }
  return parsed;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}
