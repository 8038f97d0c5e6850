/**
 * The one command-line parser (issue 13): every command's flags come from commands-spec.ts; unknown
 * flags, missing values and stray arguments are usage errors with a "did you mean"; --help and
 * --version work everywhere; `--` keeps the wrapped command verbatim.
 */
import { describe, expect, it } from 'vitest';
import { commandHelp, overallHelp, parseCommandLine, UsageError, type CommandLine } from '../../../src/cli/args.js';
import { COMMANDS, HELP_FOOTER } from '../../../src/cli/commands-spec.js';

const parse = (argv: string[], fallback?: string): CommandLine => parseCommandLine(argv, COMMANDS, fallback);
const args = (argv: string[], fallback?: string) => {
  const line = parse(argv, fallback);
  if (line.kind !== 'run') throw new Error(`expected a command, got ${line.kind}`);
  return line.args;
};

describe('parseCommandLine', () => {
  it('reads --flag value, --flag=value and booleans', () => {
    const a = args(['scan', '--config', 'a.yaml', '--fail-on=critical', '--json']);
    expect(a.command).toBe('scan');
    expect(Object.fromEntries(a.options)).toEqual({ config: 'a.yaml', 'fail-on': 'critical', json: true });
  });

  it('rejects unknown flags with a suggestion, for every command', () => {
    expect(() => parse(['run', '--confg', 'x'])).toThrow('unknown option --confg for watchdog run (did you mean --config?)');
    expect(() => parse(['scan', '--client-confg', 'x'])).toThrow(/did you mean --client-config\?/);
    expect(() => parse(['eval', '--bogus'])).toThrow(/unknown option --bogus for watchdog eval$/);
    expect(() => parse(['status', '-x'])).toThrow(UsageError);
    for (const spec of COMMANDS) expect(() => parse([spec.name, '--no-such-flag-anywhere'])).toThrow(UsageError);
  });

  it('rejects unknown commands with a suggestion', () => {
    expect(() => parse(['scna'])).toThrow('unknown command "scna" (did you mean "scan"?)');
  });

  it('rejects a missing value, a value on a boolean, and stray arguments', () => {
    expect(() => parse(['run', '--config'])).toThrow('--config needs a value (--config FILE)');
    expect(() => parse(['run', '--config', '--pretty'])).toThrow(/--config needs a value/);
    expect(() => parse(['scan', '--json=yes'])).toThrow('--json takes no value');
    expect(() => parse(['run', 'extra'])).toThrow('unexpected argument "extra" for watchdog run');
    expect(() => parse(['import'])).toThrow('watchdog import needs FILE');
    expect(() => parse(['import', 'a.json', 'b.json'])).toThrow(/unexpected argument "b.json"/);
    expect(() => parse(['scan', '--', 'x'])).toThrow(/"--" is not accepted/);
  });

  it('keeps everything after -- for stdio, flags included', () => {
    const a = args(['stdio', '--', 'npx', '-y', 'server', '--help']);
    expect(a.rest).toEqual(['npx', '-y', 'server', '--help']);
  });

  it('answers --help and --version for any command, and help <command>', () => {
    expect(parse(['scan', '--help'])).toEqual({ kind: 'help', command: 'scan' });
    expect(parse(['import', 'x.json', '-h'])).toEqual({ kind: 'help', command: 'import' });
    expect(parse(['help', 'run'])).toEqual({ kind: 'help', command: 'run' });
    expect(parse(['--version'])).toEqual({ kind: 'version' });
    expect(parse(['run', '-V'])).toEqual({ kind: 'version' });
    expect(parse(['--help'], 'stdio')).toEqual({ kind: 'help' });
    expect(parse([])).toEqual({ kind: 'help' });
  });

  it('falls back to stdio when no command is given and a fallback is set', () => {
    expect(args([], 'stdio').command).toBe('stdio');
    expect(args(['--config', 'w.yaml'], 'stdio').options.get('config')).toBe('w.yaml');
    expect(() => parse(['--config', 'w.yaml'])).toThrow(/no command given/);
  });
});

describe('help texts', () => {
  it('lists every command, and every flag of each command in its help', () => {
    const overall = overallHelp(COMMANDS, HELP_FOOTER);
    for (const spec of COMMANDS) {
      expect(overall).toContain(`  ${spec.name} `);
      const help = commandHelp(spec);
      expect(help).toMatch(new RegExp(`^usage: watchdog ${spec.name}`));
      for (const flag of Object.keys(spec.flags)) expect(help).toContain(`--${flag}`);
    }
    expect(commandHelp(COMMANDS.find((c) => c.name === 'run')!)).toContain('--log-level LEVEL');
  });

  it('takes Object.prototype member names as plain arguments (issue 7, item 1)', () => {
    expect(() => parse(['scan', 'constructor'])).toThrow(UsageError);
    expect(() => parse(['constructor'])).toThrow('unknown command "constructor"');
    expect(() => parse(['--toString'], 'stdio')).toThrow('unknown option --toString');
  });
});
