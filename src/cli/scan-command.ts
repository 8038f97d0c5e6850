/**
 * `watchdog scan` as a command (issue 13): loads either a watchdog.yaml or an assistant's config file
 * (through the same importer as `watchdog import`, so both read a file the same way), then runs
 * scan.ts. An assistant's file names commands that someone else may have written, so before starting
 * any of them the scan lists them on stderr and asks on a terminal; without a terminal it needs
 * `--yes` and otherwise refuses (exit 2) — a CI job or a pipe must never run a file's commands by
 * default. An unrecognised file is an error (exit 2), never "clean". Entries the importer could not
 * convert, and those missing a `${VAR}`, are reported as servers that could not be scanned (exit 2).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  CLIENT_FORMATS, ClientConfigError, ConfigError, discoverConfig, importClientConfig, isStdio, loadConfig, resolveImported,
  type ClientFormat, type Config,
} from '../config/index.js';
import { checkConfigPolicy } from '../inspection.js';
import { redactUrl } from '../scan-servers.js';
import { flagSet, stringOption, type ParsedArgs } from './args.js';
import { formatScan, parseSeverity, scanExitCode, scanServers, type ServerReport } from './scan.js';

const DEFAULT_TIMEOUT_SECONDS = 30;

interface ScanTarget {
  config: Config;
  /** Servers known not to be scannable, reported as errors. */
  failed: ServerReport[];
}

class ScanUsageError extends Error {}

export async function scanCommand(args: ParsedArgs): Promise<number> {
  try {
    const failOn = parseSeverity(stringOption(args, 'fail-on'));
    if (!failOn) throw new ScanUsageError('--fail-on takes info, low, medium, high or critical');
    const timeoutMs = timeoutOption(stringOption(args, 'timeout'));
    const clientFile = stringOption(args, 'client-config');
    const target = clientFile ? await clientTarget(args, clientFile) : configTarget(args);
    if (typeof target === 'number') return target;
    const reports = [...(await scanServers(target.config, timeoutMs)), ...target.failed];
    process.stdout.write(flagSet(args, 'json') ? `${JSON.stringify({ servers: reports }, null, 2)}\n` : formatScan(reports));
    return scanExitCode(reports, failOn);
  } catch (err) {
    const known = err instanceof ScanUsageError || err instanceof ClientConfigError || err instanceof ConfigError;
    if (!known) throw err;
    process.stderr.write(`${err instanceof ConfigError ? err.message : `watchdog scan: ${err.message}`}\n`);
    return 2;
  }
}

function timeoutOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new ScanUsageError(`--timeout takes seconds between 0 and 3600, got "${value}"`);
  return seconds * 1000;
}

function configTarget(args: ParsedArgs): ScanTarget {
  if (stringOption(args, 'from') !== undefined) throw new ScanUsageError('--from applies to --client-config');
  const path = discoverConfig({ flag: stringOption(args, 'config') });
  if (!path) throw new ScanUsageError('no config file: pass --config FILE or --client-config FILE');
  return { config: loadConfig(path, { checks: [checkConfigPolicy] }).config, failed: [] };
}

function fromOption(value: string | undefined): ClientFormat | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if ((CLIENT_FORMATS as readonly string[]).includes(value)) return value as ClientFormat;
  throw new ScanUsageError(`--from takes auto, ${CLIENT_FORMATS.join(', ')}; got "${value}"`);
}

async function clientTarget(args: ParsedArgs, file: string): Promise<ScanTarget | number> {
  if (stringOption(args, 'config') !== undefined) throw new ScanUsageError('pass either --config or --client-config, not both');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClientConfigError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const imported = importClientConfig(text, { path: resolve(file), from: fromOption(stringOption(args, 'from')) });
  const { config, unresolved } = resolveImported(imported.upstreams, process.env, dirname(resolve(file)));
  const failed: ServerReport[] = [
    ...imported.skipped.map((s) => failure(s.name, `not a server entry the importer understands: ${s.reason}`)),
    ...unresolved.map((u) => failure(u.name, u.problems.join('; '))),
  ];
  process.stderr.write(describeTarget(file, imported.format, config, failed));
  const commands = config.upstreams.filter((u) => u.enabled && isStdio(u));
  if (commands.length === 0 || flagSet(args, 'yes')) return { config, failed };
  if (!process.stdin.isTTY) {
    process.stderr.write('watchdog scan: not starting the commands of a client config without confirmation: pass --yes (stdin is not a terminal)\n');
    return 2;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`Start these ${commands.length} command(s) to scan them? [y/N] `).finally(() => rl.close());
  if (/^y(es)?$/i.test(answer.trim())) return { config, failed };
  process.stderr.write('watchdog scan: nothing started\n');
  return 2;
}

function failure(upstream: string, error: string): ServerReport {
  return { upstream, error, tools: 0, hiddenTools: 0, prompts: 0, findings: [] };
}

/** Argument values after secret-looking flags, and bearer credentials, are masked in the listing. */
export function displayCommand(command: string, args: readonly string[]): string {
  const shown = args.map((arg, i) => {
    if (i > 0 && /^--?[\w-]*(token|key|secret|passw|header|auth)[\w-]*$/i.test(args[i - 1] as string)) return '…';
    return arg.replace(/(bearer\s+|(?:token|key|secret|password)=)\S+/gi, '$1…');
  });
  return [command, ...shown].map((a) => (/^[\w@%+=:,./…-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function describeTarget(file: string, format: ClientFormat, config: Config, failed: readonly ServerReport[]): string {
  const lines = [`watchdog scan: ${file} (${format})`];
  const width = Math.max(8, ...config.upstreams.map((u) => u.name.length));
  for (const u of config.upstreams) {
    const what = !u.enabled ? 'not scanned: disabled in the client' : isStdio(u) ? `will run: ${displayCommand(u.command, u.args)}` : `will connect to: ${redactUrl(new URL(u.url))}`;
    lines.push(`  ${u.name.padEnd(width)}  ${what}`);
  }
  for (const f of failed) lines.push(`  ${f.upstream.padEnd(width)}  cannot scan: ${f.error}`);
  return `${lines.join('\n')}\n`;
}
