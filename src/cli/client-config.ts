/**
 * Reads the MCP server list of an assistant's own config file, so `watchdog scan --client-config F`
 * can audit what a user already runs: Claude Desktop and Cursor (`mcpServers`), VS Code (`servers`,
 * or `mcp.servers` in settings.json), Claude Code (`mcpServers` at the top and under `projects.*`).
 * Each entry becomes an upstream config validated by the one schema; names are sanitised to
 * `[a-z0-9-]{1,32}` and made unique.
 */
import { readFileSync } from 'node:fs';
import { ConfigSchema, type Config } from '../config/index.js';

type Entry = Record<string, unknown>;

export function configFromClientFile(path: string): Config {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Entry;
  const entries = collectServers(doc);
  const used = new Set<string>();
  const upstreams = entries.map(([name, server]) => toUpstream(uniqueName(name, used), server)).filter((u): u is Entry => u !== undefined);
  return ConfigSchema.parse({ upstreams });
}

function collectServers(doc: Entry): Array<[string, Entry]> {
  const maps: unknown[] = [doc.mcpServers, doc.servers, (doc.mcp as Entry | undefined)?.servers];
  const projects = doc.projects as Record<string, Entry> | undefined;
  if (projects && typeof projects === 'object') for (const p of Object.values(projects)) maps.push(p?.mcpServers);
  const out: Array<[string, Entry]> = [];
  for (const map of maps) {
    if (!map || typeof map !== 'object') continue;
    for (const [name, server] of Object.entries(map as Record<string, unknown>)) if (server && typeof server === 'object') out.push([name, server as Entry]);
  }
  return out;
}

function toUpstream(name: string, server: Entry): Entry | undefined {
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const record = (v: unknown) => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Entry).map(([k, x]) => [k, String(x)])) : {});
  if (typeof server.command === 'string') return { name, command: server.command, args: strings(server.args), env: record(server.env), ...(typeof server.cwd === 'string' ? { cwd: server.cwd } : {}) };
  if (typeof server.url === 'string') return { name, url: server.url, headers: record(server.headers) };
  return undefined;
}

function uniqueName(raw: string, used: Set<string>): string {
  const base = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 28) || 'server';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}
