/**
 * The one command-line parser for every `watchdog` command (issue 13). Each command declares its flags
 * in a spec (commands-spec.ts); the parser knows nothing else. Rules, the same everywhere:
 * `--flag value` and `--flag=value`; booleans take no value; `--help`/`-h` and `--version`/`-V` are
 * accepted by every command; everything after `--` is kept verbatim (the wrapped server of
 * `stdio -- <command…>`). An unknown flag, a missing value or a stray argument is a `UsageError` (exit 2)
 * with a "did you mean" when a known flag is within two edits: a typo must never be silently ignored,
 * since `--confg other.yaml` would otherwise run on the wrong file.
 */
import { ownValue } from '../core/index.js';
import { suggestKey } from '../config/index.js';

export interface FlagSpec {
  /** `boolean` flags take no value; `string` flags need one. */
  kind: 'boolean' | 'string';
  /** Placeholder shown in help, e.g. `FILE`. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments as shown in help, e.g. `FILE`; absent = none accepted. */
  positionals?: { label: string; min: number; max: number };
  /** Accepts `-- <command> [args…]`. */
  rest?: string;
  flags: Record<string, FlagSpec>;
  /** Extra paragraphs for `watchdog <command> --help`. */
  details?: string;
}

export interface ParsedArgs {
  command: string;
  options: Map<string, string | true>;
  positional: string[];
  rest?: string[];
}

export type CommandLine = { kind: 'help'; command?: string } | { kind: 'version' } | { kind: 'run'; args: ParsedArgs };

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to point at, when known. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const GLOBAL_BOOLEANS: Record<string, 'help' | 'version'> = { '--help': 'help', '-h': 'help', '--version': 'version', '-V': 'version' };

/**
 * Parses `argv` (without node and the script). `fallback` is the command used when none is given
 * (`stdio` when stdin is not a terminal, so `{"command": "mcp-watchdog"}` works as a client config).
 */
export function parseCommandLine(argv: readonly string[], specs: readonly CommandSpec[], fallback?: string): CommandLine {
  const first = argv[0];
  const explicit = first !== undefined && !first.startsWith('-');
  if (explicit && first === 'help') return { kind: 'help', command: argv[1] };
  if (!explicit) {
    const before = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
    if (before.some((a) => ownValue(GLOBAL_BOOLEANS, a) === 'version')) return { kind: 'version' };
    if (before.some((a) => ownValue(GLOBAL_BOOLEANS, a) === 'help') || (argv.length === 0 && fallback === undefined)) return { kind: 'help' };
  }
  const name = explicit ? first : fallback;
  if (name === undefined) throw new UsageError(`no command given (${String(argv[0])} is an option)`);
  const spec = specs.find((s) => s.name === name);
  if (!spec) {
    const hint = suggestKey(name, specs.map((s) => s.name));
    throw new UsageError(`unknown command "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  const parsed = parseFlags(explicit ? argv.slice(1) : argv, spec);
  if (parsed === 'help') return { kind: 'help', command: spec.name };
  if (parsed === 'version') return { kind: 'version' };
  checkPositionals(parsed, spec);
  return { kind: 'run', args: parsed };
}

function parseFlags(list: readonly string[], spec: CommandSpec): ParsedArgs | 'help' | 'version' {
  const args: ParsedArgs = { command: spec.name, options: new Map(), positional: [] };
  for (let i = 0; i < list.length; i++) {
    const arg = list[i] as string;
    if (arg === '--') {
      if (!spec.rest) throw new UsageError(`"--" is not accepted by watchdog ${spec.name}`, spec.name);
      args.rest = list.slice(i + 1);
      break;
    }
    const global = ownValue<'help' | 'version'>(GLOBAL_BOOLEANS, arg);
    if (global) return global;
    if (!arg.startsWith('-') || arg === '-') {
      args.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const flagSpec = arg.startsWith('--') ? ownValue<FlagSpec>(spec.flags, flag.slice(2)) : undefined;
    if (!flagSpec) throw unknownFlag(flag, spec);
    const key = flag.slice(2);
    if (flagSpec.kind === 'boolean') {
      if (eq > 0) throw new UsageError(`${flag} takes no value`, spec.name);
      args.options.set(key, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : list[i + 1];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value (${flag} ${flagSpec.value ?? 'VALUE'})`, spec.name);
    if (eq < 0) i++;
    args.options.set(key, value);
  }
  return args;
}

function unknownFlag(flag: string, spec: CommandSpec): UsageError {
  const known = Object.keys(spec.flags).map((k) => `--${k}`);
  const hint = suggestKey(flag.startsWith('--') ? flag : `-${flag}`, known);
  return new UsageError(`unknown option ${flag} for watchdog ${spec.name}${hint ? ` (did you mean ${hint}?)` : ''}`, spec.name);
}

function checkPositionals(args: ParsedArgs, spec: CommandSpec): void {
  const allowed = spec.positionals ?? { label: '', min: 0, max: 0 };
  const count = args.positional.length;
  if (count > allowed.max) {
    const extra = args.positional[allowed.max] as string;
    throw new UsageError(`unexpected argument "${extra}" for watchdog ${spec.name}`, spec.name);
  }
  if (count < allowed.min) throw new UsageError(`watchdog ${spec.name} needs ${allowed.label}`, spec.name);
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flagSet(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

/** `watchdog <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const positional = spec.positionals ? ` ${spec.positionals.label}` : '';
  const rest = spec.rest ? ` [-- ${spec.rest}]` : '';
  const lines = [`usage: watchdog ${spec.name} [options]${positional}${rest}`, '', spec.summary];
  if (spec.details) lines.push('', spec.details);
  const flags = Object.entries(spec.flags).map(([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ''}`, f.help] as const);
  flags.push(['--help, -h', 'show this help'], ['--version, -V', 'print the version']);
  const width = Math.max(...flags.map(([left]) => left.length));
  lines.push('', 'options:', ...flags.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`));
  return lines.join('\n');
}

/** `watchdog --help`: the command list. */
export function overallHelp(specs: readonly CommandSpec[], footer: string): string {
  const width = Math.max(...specs.map((s) => s.name.length));
  return [
    'usage: watchdog <command> [options]',
    '',
    'commands:',
    ...specs.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    '',
    footer,
  ].join('\n');
}
