/**
 * What a client config's `command` + `args` really start, read without running anything (issue 13):
 * - Windows entries wrap the launcher in `cmd /c …` (spawning `npx.cmd` needs a shell there); off Windows
 *   the wrapper is dropped, since the gateway spawns the real command directly.
 * - package launchers (`npx -y`, `bunx`, `pnpm dlx`, `yarn dlx`, `uvx`, `pipx run`) are looked through
 *   to the package they run;
 * - stdio↔HTTP bridges (`mcp-remote`, `supergateway --sse/--streamableHttp`, python `mcp-proxy <url>`)
 *   are recognised with their URL and header flags, so the import can offer the gateway's own remote
 *   upstream instead of a local process that only relays.
 */
import { basename } from 'node:path';

export interface CommandLine {
  command: string;
  args: string[];
}

export interface RemoteBridge {
  bridge: 'mcp-remote' | 'supergateway' | 'mcp-proxy';
  url: string;
  headers: Array<[string, string]>;
  transport: 'auto' | 'sse' | 'http';
  /** mcp-remote `--ignore-tool` patterns (become `tools.deny`). */
  ignoredTools: string[];
  notes: string[];
}

const program = (command: string) => basename(command.replace(/\\/g, '/')).toLowerCase().replace(/\.(cmd|exe|bat)$/, '');

/** Splits one command string the way cmd.exe users write them: spaces separate, double quotes group. */
export function splitCommand(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) tokens.push(match[1] ?? match[2] ?? '');
  return tokens;
}

/** `cmd /c npx -y pkg` → `npx -y pkg` (kept on Windows, where the gateway needs the shell too). */
export function unwrapShell(line: CommandLine, platform: string): { line: CommandLine; shell?: string } {
  if (platform === 'win32' || program(line.command) !== 'cmd') return { line };
  let i = 0;
  while (i < line.args.length && /^\/[dqs]$/i.test(line.args[i] as string)) i++;
  if (!/^\/[ck]$/i.test(line.args[i] ?? '')) return { line };
  const rest = line.args.slice(i + 1);
  const tokens = rest.length === 1 ? splitCommand(rest[0] as string) : rest;
  if (tokens.length === 0) return { line };
  const shell = [line.command, ...line.args.slice(0, i + 1)].join(' ');
  return { line: { command: tokens[0] as string, args: tokens.slice(1) }, shell };
}

const LAUNCHER_VALUE_FLAGS = new Set(['-p', '--package', '--from', '--python', '--with', '--registry']);

/** The package (or program) a command line runs, and the arguments given to it. */
export function launchedProgram(line: CommandLine): { name: string; args: string[] } {
  const launcher = program(line.command);
  let args = line.args;
  if ((launcher === 'pnpm' || launcher === 'yarn') && args[0] === 'dlx') args = args.slice(1);
  else if (launcher === 'pipx' && args[0] === 'run') args = args.slice(1);
  else if (!['npx', 'bunx', 'pnpx', 'uvx'].includes(launcher)) return { name: launcher, args };
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith('-')) i += LAUNCHER_VALUE_FLAGS.has(args[i] as string) ? 2 : 1;
  if (args[i] === '--') i++;
  const target = args[i] ?? '';
  const name = target.replace(/^(@[^/]+\/[^@]+|[^@]+)@.*$/, '$1').toLowerCase();
  return { name, args: args.slice(i + 1) };
}

function header(text: string, notes: string[]): [string, string] | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) {
    notes.push(`header "${text}" has no "Name: value" form; left out`);
    return undefined;
  }
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** Reads `--flag value` / `--flag=value` pairs; returns the value and how many tokens it used. */
function flagValue(args: readonly string[], i: number, flag: string): { value?: string; used: number } {
  const arg = args[i] as string;
  if (arg === flag) return { value: args[i + 1], used: 2 };
  if (arg.startsWith(`${flag}=`)) return { value: arg.slice(flag.length + 1), used: 1 };
  return { used: 0 };
}

const MCP_REMOTE_VALUE_FLAGS = ['--host', '--auth-timeout', '--resource', '--static-oauth-client-metadata', '--static-oauth-client-info'];

function mcpRemote(args: readonly string[]): RemoteBridge | undefined {
  const bridge: RemoteBridge = { bridge: 'mcp-remote', url: '', headers: [], transport: 'auto', ignoredTools: [], notes: [] };
  for (let i = 0; i < args.length; ) {
    const arg = args[i] as string;
    const h = flagValue(args, i, '--header');
    const t = flagValue(args, i, '--transport');
    const ignore = flagValue(args, i, '--ignore-tool');
    const other = MCP_REMOTE_VALUE_FLAGS.map((f) => flagValue(args, i, f)).find((v) => v.used > 0);
    if (h.used > 0) {
      const parsed = header(h.value ?? '', bridge.notes);
      if (parsed) bridge.headers.push(parsed);
    } else if (t.used > 0) bridge.transport = t.value?.startsWith('sse') ? 'sse' : 'http';
    else if (ignore.used > 0) bridge.ignoredTools.push(ignore.value ?? '');
    else if (other) bridge.notes.push(`mcp-remote option ${arg.split('=')[0]} has no gateway equivalent; left out`);
    else if (/^https?:\/\//i.test(arg) && bridge.url === '') bridge.url = arg;
    else if (arg.startsWith('--') && arg !== '--allow-http' && arg !== '--debug' && arg !== '--silent') bridge.notes.push(`mcp-remote option ${arg} left out`);
    i += Math.max(1, h.used, t.used, ignore.used, other?.used ?? 0);
  }
  return bridge.url ? bridge : undefined;
}

function supergateway(args: readonly string[]): RemoteBridge | undefined {
  if (args.some((a) => a === '--stdio' || a.startsWith('--stdio='))) return undefined;
  const bridge: RemoteBridge = { bridge: 'supergateway', url: '', headers: [], transport: 'auto', ignoredTools: [], notes: [] };
  for (let i = 0; i < args.length; ) {
    const sse = flagValue(args, i, '--sse');
    const http = flagValue(args, i, '--streamableHttp');
    const h = flagValue(args, i, '--header');
    const bearer = flagValue(args, i, '--oauth2Bearer');
    if (sse.used > 0) [bridge.url, bridge.transport] = [sse.value ?? '', 'sse'];
    else if (http.used > 0) [bridge.url, bridge.transport] = [http.value ?? '', 'http'];
    else if (h.used > 0) {
      const parsed = header(h.value ?? '', bridge.notes);
      if (parsed) bridge.headers.push(parsed);
    } else if (bearer.used > 0) bridge.headers.push(['Authorization', `Bearer ${bearer.value ?? ''}`]);
    i += Math.max(1, sse.used, http.used, h.used, bearer.used);
  }
  return /^https?:\/\//i.test(bridge.url) ? bridge : undefined;
}

function mcpProxy(args: readonly string[]): RemoteBridge | undefined {
  const url = args.find((a) => /^https?:\/\//i.test(a));
  if (!url) return undefined;
  const bridge: RemoteBridge = { bridge: 'mcp-proxy', url, headers: [], transport: 'sse', ignoredTools: [], notes: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if ((arg === '-H' || arg === '--headers') && args[i + 2] !== undefined) {
      bridge.headers.push([args[i + 1] as string, args[i + 2] as string]);
      i += 2;
    } else if (arg === '--transport' && args[i + 1] !== undefined) bridge.transport = /stream/i.test(args[++i] as string) ? 'http' : 'sse';
  }
  return bridge;
}

/** The remote server a bridge relays to, if this command line is one. */
export function detectBridge(line: CommandLine): RemoteBridge | undefined {
  const { name, args } = launchedProgram(line);
  if (name === 'mcp-remote') return mcpRemote(args);
  if (name === 'supergateway') return supergateway(args);
  if (name === 'mcp-proxy') return mcpProxy(args);
  return undefined;
}
