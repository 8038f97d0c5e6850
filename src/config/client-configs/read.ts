/**
 * Reads an assistant's MCP config file (issue 13): Claude Desktop and Cursor (`mcpServers`), Windsurf
 * (`mcpServers`, remote entries may say `serverUrl`), Claude Code (`mcpServers` at the top of
 * `~/.claude.json` and under `projects.<path>.mcpServers`, or a project's `.mcp.json`), VS Code
 * (`.vscode/mcp.json` with `servers` and `inputs`, or settings.json `mcp.servers`). All are parsed as
 * JSONC — VS Code's files allow comments and trailing commas, and the others are a subset. A file none
 * of these shapes fits is an error (`ClientConfigError`), never an empty result: a scan of a misnamed
 * file must not report "clean". Nothing here looks at the entries themselves; convert.ts does.
 */
import { basename, dirname } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Json } from '../../core/index.js';

export const CLIENT_FORMATS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'] as const;
export type ClientFormat = (typeof CLIENT_FORMATS)[number];

/** One server entry as found, before conversion. */
export interface SourceEntry {
  name: string;
  /** Where it sits in the file, e.g. `mcpServers.github` or `projects["/home/me/api"].mcpServers.db`. */
  where: string;
  /** Claude Code: the project folder the entry belongs to. */
  project?: string;
  value: unknown;
}

/** A VS Code `inputs` entry: the prompt VS Code shows for `${input:id}`. */
export interface ClientInput {
  id: string;
  description?: string;
  password: boolean;
}

export interface ClientFile {
  format: ClientFormat;
  entries: SourceEntry[];
  inputs: Map<string, ClientInput>;
  /** The workspace folder when the file's location tells it (`<dir>/.vscode/mcp.json`, `<dir>/.cursor/mcp.json`). */
  workspace?: string;
}

export class ClientConfigError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ClientConfigError';
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Client configs are a few kilobytes; anything this large is not one (and is not worth parsing). */
const MAX_BYTES = 10 * 1024 * 1024;

export function parseJsonc(text: string, file: string): Json {
  if (text.length > MAX_BYTES) throw new ClientConfigError(file, 'larger than 10 MiB: not an MCP client config');
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (err) {
    // jsonc-parser recurses per nesting level: a hostile file runs out of stack, which is an answer too.
    if (err instanceof RangeError) throw new ClientConfigError(file, 'nested too deeply to be an MCP client config');
    throw err;
  }
  if (errors.length > 0) {
    const first = errors[0] as ParseError;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ClientConfigError(file, `not valid JSON (${printParseErrorCode(first.error)} at line ${line})`);
  }
  if (!isObject(value)) throw new ClientConfigError(file, 'expected a JSON object at the top level');
  return value;
}

/** The server maps each format reads, with their JSON path for messages. */
function serverMaps(doc: Json, format: ClientFormat): Array<{ where: string; map: unknown; project?: string }> {
  if (format === 'vscode') {
    const settings = isObject(doc.mcp) ? doc.mcp.servers : undefined;
    return [
      { where: 'servers', map: doc.servers },
      { where: 'mcp.servers', map: settings },
      { where: '["mcp.servers"]', map: doc['mcp.servers'] },
    ];
  }
  const maps: Array<{ where: string; map: unknown; project?: string }> = [{ where: 'mcpServers', map: doc.mcpServers }];
  if (format === 'claude-code' && isObject(doc.projects)) {
    for (const [path, project] of Object.entries(doc.projects)) {
      if (isObject(project)) maps.push({ where: `projects[${JSON.stringify(path)}].mcpServers`, map: project.mcpServers, project: path });
    }
  }
  return maps;
}

const hasServers = (doc: Json, format: ClientFormat) => serverMaps(doc, format).some((m) => isObject(m.map));

/** `--from auto`: the file name first (each client's own name), then the shape of the content. */
export function detectFormat(doc: Json, path: string): ClientFormat | undefined {
  const name = basename(path).toLowerCase();
  const folder = basename(dirname(path)).toLowerCase();
  if (hasServers(doc, 'vscode')) return 'vscode';
  if (!hasServers(doc, 'claude-code')) return undefined;
  if (name === '.claude.json' || name === '.mcp.json' || isObject(doc.projects)) return 'claude-code';
  if (name === 'claude_desktop_config.json') return 'claude-desktop';
  if (folder === '.cursor') return 'cursor';
  const entries = isObject(doc.mcpServers) ? Object.values(doc.mcpServers) : [];
  if (name === 'mcp_config.json' || entries.some((e) => isObject(e) && 'serverUrl' in e)) return 'windsurf';
  return 'claude-desktop';
}

function collectInputs(doc: Json): Map<string, ClientInput> {
  const lists = [doc.inputs, isObject(doc.mcp) ? doc.mcp.inputs : undefined];
  const inputs = new Map<string, ClientInput>();
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (!isObject(item) || typeof item.id !== 'string') continue;
      inputs.set(item.id, { id: item.id, description: typeof item.description === 'string' ? item.description : undefined, password: item.password === true });
    }
  }
  return inputs;
}

function workspaceOf(path: string): string | undefined {
  const folder = basename(dirname(path));
  return folder === '.vscode' || folder === '.cursor' ? dirname(dirname(path)) : undefined;
}

/** Reads the file's text as `format` (or detects it); throws `ClientConfigError` when it does not fit. */
export function readClientFile(text: string, path: string, from: ClientFormat | 'auto' = 'auto'): ClientFile {
  const doc = parseJsonc(text, path);
  const format = from === 'auto' ? detectFormat(doc, path) : from;
  if (!format) throw new ClientConfigError(path, 'not an MCP client config: no "mcpServers", "servers" or "mcp.servers" object');
  if (!hasServers(doc, format)) {
    const keys = format === 'vscode' ? '"servers" or "mcp.servers"' : format === 'claude-code' ? '"mcpServers" or "projects.*.mcpServers"' : '"mcpServers"';
    throw new ClientConfigError(path, `not a ${format} config: no ${keys} object`);
  }
  const entries: SourceEntry[] = [];
  for (const { where, map, project } of serverMaps(doc, format)) {
    if (!isObject(map)) continue;
    for (const [name, value] of Object.entries(map)) entries.push({ name, where: `${where}${/^[A-Za-z_][\w-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}`, project, value });
  }
  return { format, entries, inputs: collectInputs(doc), workspace: workspaceOf(path) };
}
