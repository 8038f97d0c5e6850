/**
 * One client-config entry → one `upstreams[]` entry of watchdog.yaml, or the reason it cannot be
 * (issue 13). An entry is read for what the clients accept — `type` (stdio|http|sse), `command`/`args`/
 * `env`/`cwd`, `url` (Windsurf: `serverUrl`)/`headers`, `disabled`, Windsurf's `disabledTools` — and
 * every string goes through the variable translation. Keys with no gateway meaning (`autoApprove`,
 * `timeout`, …) are named in a comment, never silently dropped; an entry of unknown shape is skipped
 * with its reason, and never stops the others. Literal secrets are copied (the import must not change
 * what runs) but named in a warning, so the user can move them to `${VAR}`.
 */
import { Document, isSeq } from 'yaml';
import { ownValue, ownsKey } from '../../core/index.js';
import { detectBridge, unwrapShell, type CommandLine, type RemoteBridge } from './command-line.js';
import type { SourceEntry } from './read.js';
import { translateVariables, type VariableContext, type VariableUse } from './variables.js';

export interface ImportedUpstream {
  name: string;
  source: SourceEntry;
  /** The upstream as written to watchdog.yaml (gateway `${VAR}` syntax), minus `name`. */
  fields: Record<string, unknown>;
  /** Comment lines written above the entry. */
  comments: string[];
  /** Things the user should look at; also printed by the command. */
  warnings: string[];
  /** Variables the gateway needs, with where they came from. */
  uses: VariableUse[];
}

export interface SkippedEntry {
  name: string;
  where: string;
  reason: string;
}

export interface ConvertContext extends VariableContext {
  platform: string;
}

/** An upstream being built: `deny` collects tool patterns from several places. */
type Draft = ImportedUpstream & { deny: string[] };

type Strings = Record<string, string>;

interface Shape {
  type?: string;
  command?: string;
  args: string[];
  env: Strings;
  cwd?: string;
  url?: string;
  headers: Strings;
  disabled: boolean;
  deny: string[];
  ignored: string[];
  envFile?: string;
}

const KNOWN = new Set(['type', 'command', 'args', 'env', 'cwd', 'url', 'serverUrl', 'headers', 'disabled', 'disabledTools', 'envFile']);
const TYPES = new Set(['stdio', 'http', 'sse', 'streamable-http', 'streamableHttp', 'streamable_http']);
const SECRET_NAME = /token|secret|passw|api[-_]?key|apikey|credential|auth/i;

const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function strings(value: unknown, what: string): string[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(scalar)) return `${what} is not a list of strings`;
  return value.map(String);
}

function record(value: unknown, what: string): Strings | string {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${what} is not an object`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.every(([, v]) => scalar(v))) return `${what} has a value that is not a string`;
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

function readShape(value: unknown): Shape | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (e.type !== undefined && !TYPES.has(String(e.type))) return `unsupported type ${JSON.stringify(e.type)} (expected stdio, http or sse)`;
  const url = e.url ?? e.serverUrl;
  if (e.command !== undefined && typeof e.command !== 'string') return 'command is not a string';
  if (url !== undefined && typeof url !== 'string') return 'url is not a string';
  const args = strings(e.args, 'args');
  const deny = strings(e.disabledTools, 'disabledTools');
  const env = record(e.env, 'env');
  const headers = record(e.headers, 'headers');
  for (const problem of [args, deny, env, headers]) if (typeof problem === 'string') return problem;
  return {
    type: e.type === undefined ? undefined : String(e.type),
    command: e.command as string | undefined,
    args: args as string[],
    env: env as Strings,
    cwd: typeof e.cwd === 'string' ? e.cwd : undefined,
    url: url as string | undefined,
    headers: headers as Strings,
    disabled: e.disabled === true,
    deny: deny as string[],
    ignored: Object.keys(e).filter((k) => !KNOWN.has(k)),
    envFile: typeof e.envFile === 'string' ? e.envFile : undefined,
  };
}

/** Every string of the shape through the variable translation; problems make the entry unconvertible. */
function translateShape(shape: Shape, ctx: VariableContext): { shape: Shape; uses: VariableUse[]; problems: string[] } {
  const uses: VariableUse[] = [];
  const problems: string[] = [];
  const t = (text: string) => {
    const r = translateVariables(text, ctx);
    uses.push(...r.uses);
    problems.push(...r.problems);
    return r.value;
  };
  const map = (m: Strings) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, t(v)]));
  const out: Shape = { ...shape, args: shape.args.map(t), env: map(shape.env), headers: map(shape.headers) };
  if (shape.command !== undefined) out.command = t(shape.command);
  if (shape.cwd !== undefined) out.cwd = t(shape.cwd);
  if (shape.url !== undefined) out.url = t(shape.url);
  return { shape: out, uses, problems };
}

function kind(shape: Shape): 'stdio' | 'remote' | string {
  if (shape.type === 'stdio') return shape.command !== undefined ? 'stdio' : 'type "stdio" without a command';
  if (shape.type !== undefined) return shape.url !== undefined ? 'remote' : `type "${shape.type}" without a url`;
  if (shape.command !== undefined && shape.url !== undefined) return 'has both command and url, and no type to choose';
  if (shape.command !== undefined) return 'stdio';
  return shape.url !== undefined ? 'remote' : 'neither command nor url';
}

function literalSecrets(where: string, values: Strings): string[] {
  return Object.entries(values)
    .filter(([key, value]) => SECRET_NAME.test(key) && !value.includes('${') && value.length >= 8)
    .map(([key]) => `${where}.${key} holds a literal secret, copied as is; consider \${${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}} and setting it in the gateway's environment`);
}

/** `${NAME}` in a bridge's header flags resolves from the entry's own env, as the bridge process did. */
const fromEntryEnv = (value: string, env: Strings) => value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string) => ownValue<string>(env, name) ?? m);

/**
 * The bridge command as a YAML comment block, with `args` on one line. A `${NAME}` the bridge itself
 * expanded from its own env is escaped (`$${NAME}`), so the gateway passes it through unchanged.
 */
function bridgeForm(line: CommandLine, env: Strings): string[] {
  const own = (arg: string) => arg.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string) => (ownsKey(env, name) ? `$${m}` : m));
  const doc = new Document({ command: line.command, args: line.args.map(own), ...(Object.keys(env).length ? { env } : {}) });
  const args = doc.get('args');
  if (isSeq(args)) args.flow = true;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd().split('\n').map((l) => `  ${l}`);
}

function remoteFromBridge(bridge: RemoteBridge, shape: Shape, line: CommandLine, out: Draft): void {
  const headers = Object.fromEntries(bridge.headers.map(([k, v]) => [k, fromEntryEnv(v, shape.env)]));
  out.fields.url = bridge.url;
  if (Object.keys(headers).length > 0) out.fields.headers = headers;
  const sse = bridge.transport === 'sse' ? ' (it falls back to HTTP+SSE)' : '';
  out.comments.push(`ran through ${bridge.bridge}, a stdio-to-HTTP bridge; the gateway connects to the URL itself${sse}`);
  const leftover = Object.keys(shape.env).filter((k) => !bridge.headers.some(([, v]) => v.includes(`\${${k}}`)));
  if (leftover.length > 0) out.comments.push(`env of the ${bridge.bridge} process not carried over: ${leftover.join(', ')}`);
  out.comments.push(...bridge.notes);
  out.deny.push(...bridge.ignoredTools);
  out.comments.push('If the server needs a browser sign-in (OAuth), which the gateway does not do, keep the bridge instead:', ...bridgeForm(line, shape.env));
  out.warnings.push(...literalSecrets('headers', headers));
  if (Object.keys(headers).length === 0) out.warnings.push(`ran through ${bridge.bridge} with no headers: if the server needs a browser sign-in (OAuth), use the bridge form in its comment`);
}

function stdioFields(shape: Shape, entry: SourceEntry, ctx: ConvertContext, out: Draft): void {
  const original: CommandLine = { command: shape.command as string, args: shape.args };
  const { line, shell } = unwrapShell(original, ctx.platform);
  const bridge = detectBridge(line);
  if (shell) out.comments.push(`was wrapped in "${shell}" (Windows), left out: the gateway starts the command itself`);
  if (bridge) return remoteFromBridge(bridge, shape, line, out);
  out.fields.command = line.command;
  if (ctx.platform !== 'win32' && /^[A-Za-z]:[\\/]/.test(line.command)) out.warnings.push(`command ${line.command} is a Windows path: change it to where the program is on the machine that runs the gateway`);
  if (line.args.length > 0) out.fields.args = line.args;
  if (Object.keys(shape.env).length > 0) out.fields.env = shape.env;
  const cwd = shape.cwd ?? (entry.project?.startsWith('/') ? entry.project.replaceAll('${', () => '$${') : undefined);
  if (cwd !== undefined) out.fields.cwd = cwd;
  if (shape.cwd === undefined && cwd !== undefined) out.comments.push('cwd: the Claude Code project it belongs to');
  if (shape.envFile) out.warnings.push(`envFile ${shape.envFile} is not read by the import: set its variables in the gateway's environment`);
  out.warnings.push(...literalSecrets('env', shape.env));
}

export function convertEntry(entry: SourceEntry, name: string, ctx: ConvertContext): ImportedUpstream | SkippedEntry {
  const skip = (reason: string): SkippedEntry => ({ name: entry.name, where: entry.where, reason });
  const read = readShape(entry.value);
  if (typeof read === 'string') return skip(read);
  const { shape, uses, problems } = translateShape(read, ctx);
  if (problems.length > 0) return skip(problems.join('; '));
  const k = kind(shape);
  if (k !== 'stdio' && k !== 'remote') return skip(k);
  const out: Draft = { name, source: entry, fields: {}, comments: [], warnings: [], uses: [], deny: [...shape.deny] };
  if (name !== entry.name.toLowerCase() || entry.project) out.comments.unshift(`"${entry.name}" (${entry.where})`);
  if (k === 'stdio') stdioFields(shape, entry, ctx, out);
  else {
    if (!/^https?:\/\//i.test(shape.url as string)) return skip(`url ${JSON.stringify(shape.url)} is not http(s)`);
    out.fields.url = shape.url;
    if (Object.keys(shape.headers).length > 0) out.fields.headers = shape.headers;
    if (shape.type === 'sse') out.comments.push('an SSE endpoint: the gateway tries Streamable HTTP, then falls back to HTTP+SSE');
    out.warnings.push(...literalSecrets('headers', shape.headers));
  }
  if (shape.disabled) out.fields.enabled = false;
  if (out.deny.length > 0) out.fields.tools = { deny: out.deny };
  if (shape.ignored.length > 0) out.comments.push(`ignored (no gateway equivalent): ${shape.ignored.join(', ')}`);
  const text = JSON.stringify(out.fields);
  out.uses = uses.filter((u, i) => text.includes(`\${${u.name}}`) && uses.findIndex((v) => v.name === u.name) === i);
  const { deny: _deny, ...upstream } = out;
  return upstream;
}
