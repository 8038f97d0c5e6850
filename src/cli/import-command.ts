/**
 * `watchdog import FILE [--from CLIENT] [--out F] [--force] [--workspace DIR]` (issue 13): converts an
 * assistant's MCP config into a watchdog.yaml and prints the one-line client config that points the
 * assistant at the gateway instead. Executes nothing. The YAML goes to stdout (so `> watchdog.yaml`
 * works) or to --out, which is never overwritten without --force; everything else — skipped entries,
 * warnings, variables to set, the client line — goes to stderr, except that with --out the client line
 * is the command's output and goes to stdout. The generated text is checked with the gateway's own
 * `parseConfig` before it is written (every variable it names given a placeholder), so a file the
 * gateway would refuse is never produced.
 * Exit codes: 0 all entries converted, 1 written but some entries skipped, 2 unreadable or
 * unrecognised file, or --out exists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CLIENT_FORMATS, ClientConfigError, ConfigError, importClientConfig, parseConfig, type ClientFormat, type ImportResult } from '../config/index.js';
import { stringOption, flagSet, type ParsedArgs } from './args.js';
import { stdioClientConfig } from './client-snippets.js';

const CLIENT_NAMES: Record<ClientFormat, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
};

function fail(message: string): number {
  process.stderr.write(`watchdog import: ${message}\n`);
  return 2;
}

/** Every `${NAME}` without a default, so validation can stand in a value for each. */
export function referencedVariables(yaml: string): string[] {
  return [...new Set([...yaml.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string))];
}

export function validateImported(result: ImportResult, file: string, baseDir: string): void {
  const env = Object.fromEntries(referencedVariables(result.yaml).map((name) => [name, `placeholder-value-for-${name}`]));
  parseConfig(result.yaml, { file, baseDir, env });
}

export async function importCommand(args: ParsedArgs): Promise<number> {
  const file = args.positional[0] as string;
  const from = stringOption(args, 'from') ?? 'auto';
  if (from !== 'auto' && !(CLIENT_FORMATS as readonly string[]).includes(from)) return fail(`--from takes auto, ${CLIENT_FORMATS.join(', ')}; got "${from}"`);
  const out = stringOption(args, 'out');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let result: ImportResult;
  try {
    result = importClientConfig(text, { path: resolve(file), from: from as ClientFormat | 'auto', workspace: stringOption(args, 'workspace') });
    validateImported(result, out ?? 'watchdog.yaml', dirname(resolve(out ?? file)));
  } catch (err) {
    if (err instanceof ClientConfigError) return fail(err.message);
    if (err instanceof ConfigError) return fail(`the generated config does not validate (please report this):\n${err.message}`);
    throw err;
  }
  if (out) {
    try {
      writeFileSync(out, result.yaml, { flag: flagSet(args, 'force') ? 'w' : 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return fail(code === 'EEXIST' ? `${out} exists; pass --force to overwrite it` : `cannot write ${out} (${code ?? (err as Error).message})`);
    }
  } else process.stdout.write(result.yaml);
  report(result, file, out);
  return result.skipped.length > 0 ? 1 : 0;
}

function report(result: ImportResult, file: string, out: string | undefined): void {
  const lines: string[] = [];
  for (const s of result.skipped) lines.push(`skipped ${s.name} (${s.where}): ${s.reason}`);
  for (const u of result.upstreams) for (const w of u.warnings) lines.push(`warning: ${u.name}: ${w}`);
  const total = result.upstreams.length + result.skipped.length;
  lines.push(`imported ${result.upstreams.length} of ${total} server(s) from ${file} (${result.format})${out ? ` into ${out}` : ''}`);
  if (result.variables.length > 0) lines.push(`set in the gateway's environment: ${result.variables.map((v) => v.name).join(', ')}`);
  const snippet = stdioClientConfig(result.format, out ? resolve(out) : '/path/to/watchdog.yaml');
  lines.push(`point ${CLIENT_NAMES[result.format]} at the gateway instead of these servers:`);
  process.stderr.write(`${lines.join('\n')}\n`);
  (out ? process.stdout : process.stderr).write(`${snippet}\n`);
}
