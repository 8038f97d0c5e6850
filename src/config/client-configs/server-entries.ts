/**
 * The MCP server entries of a client config file, for the config watch (issue 11): clients rewrite their
 * own files all the time (window state, recent projects, settings), so a change only matters when it adds,
 * removes or alters a server entry — what the assistant will start next time. Entries are keyed by where
 * they sit (`mcpServers.fs`, `projects["/repo"].mcpServers.fs`, VS Code `servers.fs`) and compared by
 * canonical JSON (key order does not matter). Reading executes nothing.
 */
import { ClientConfigError, parseJsonc, readClientFile } from './read.js';

/** Entry location → canonical JSON of its definition. */
export type ServerEntries = ReadonlyMap<string, string>;

export interface EntryChanges {
  added: string[];
  removed: string[];
  altered: string[];
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The server entries of a file's text: empty for JSON that holds none (a settings file without `mcp`),
 * undefined when the text is not JSON at all (a half-written file: keep the last good reading).
 */
export function serverEntries(text: string, path: string): ServerEntries | undefined {
  try {
    parseJsonc(text, path);
  } catch (err) {
    if (err instanceof ClientConfigError) return undefined;
    throw err;
  }
  try {
    return new Map(readClientFile(text, path).entries.map((e) => [e.where, canonical(e.value)]));
  } catch (err) {
    if (err instanceof ClientConfigError) return new Map();
    throw err;
  }
}

export function diffServerEntries(before: ServerEntries, after: ServerEntries): EntryChanges {
  const changes: EntryChanges = { added: [], removed: [], altered: [] };
  for (const [where, value] of after) {
    const old = before.get(where);
    if (old === undefined) changes.added.push(where);
    else if (old !== value) changes.altered.push(where);
  }
  for (const where of before.keys()) if (!after.has(where)) changes.removed.push(where);
  return changes;
}
