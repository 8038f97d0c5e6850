/**
 * Importing an assistant's MCP config (issue 13), shared by `watchdog import` (which writes the YAML)
 * and `watchdog scan --client-config` (which scans what that YAML would run). Reading executes nothing.
 * Names become `[a-z0-9-]{1,32}` and unique; a Claude Code server defined identically at the top and in
 * a project is imported once, and a different one of the same name gets the project's folder name.
 */
import { basename } from 'node:path';
import { interpolate, type EnvMap } from '../interpolate.js';
import { normaliseConfig } from '../normalise.js';
import { ConfigSchema, UpstreamSchema, type Config, type UpstreamConfig } from '../schema.js';
import { convertEntry, type ImportedUpstream, type SkippedEntry } from './convert.js';
import { readClientFile, type ClientFormat, type SourceEntry } from './read.js';
import type { VariableUse } from './variables.js';
import { writeYaml } from './write-yaml.js';

export { CLIENT_FORMATS, ClientConfigError } from './read.js';
export { diffServerEntries, serverEntries } from './server-entries.js';
export type { EntryChanges, ServerEntries } from './server-entries.js';
export type { ClientFormat } from './read.js';
export type { ImportedUpstream, SkippedEntry } from './convert.js';
export type { VariableUse } from './variables.js';

export interface ImportOptions {
  /** The file's path: used for format detection and the workspace folder; only its base name is written. */
  path: string;
  /** Default `auto`. */
  from?: ClientFormat | 'auto';
  /** Value of `${workspaceFolder}`; default: inferred from the path, else `${WORKSPACE_FOLDER}`. */
  workspace?: string;
  /** Default `process.platform` (decides whether `cmd /c` wrappers are kept). */
  platform?: string;
}

export interface ImportResult {
  format: ClientFormat;
  upstreams: ImportedUpstream[];
  skipped: SkippedEntry[];
  /** Variables the YAML references without a default, once each, in order of first use. */
  variables: VariableUse[];
  yaml: string;
}

function sanitise(name: string, max = 32): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  return clean.slice(0, max).replace(/-+$/, '') || 'server';
}

function uniqueName(base: string, entry: SourceEntry, used: Set<string>): string {
  const suffixes = entry.project ? [sanitise(basename(entry.project), 12)] : [];
  for (let i = 2; suffixes.length < 50; i++) suffixes.push(String(i));
  if (!used.has(base)) return base;
  for (const suffix of suffixes) {
    const name = `${sanitise(base, 31 - suffix.length)}-${suffix}`;
    if (!used.has(name)) return name;
  }
  return `${sanitise(base, 20)}-${used.size}`;
}

export function importClientConfig(text: string, options: ImportOptions): ImportResult {
  const file = readClientFile(text, options.path, options.from ?? 'auto');
  const ctx = { inputs: file.inputs, workspace: options.workspace ?? file.workspace, platform: options.platform ?? process.platform };
  const upstreams: ImportedUpstream[] = [];
  const skipped: SkippedEntry[] = [];
  const used = new Set<string>();
  const seen = new Map<string, ImportedUpstream>();
  for (const entry of file.entries) {
    const base = sanitise(entry.name);
    const same = seen.get(`${base}\u0000${JSON.stringify(entry.value)}`);
    if (same) {
      same.comments.push(`also defined at ${entry.where}`);
      continue;
    }
    const result = convertEntry(entry, uniqueName(base, entry, used), ctx);
    if ('reason' in result) {
      skipped.push(result);
      continue;
    }
    used.add(result.name);
    seen.set(`${base}\u0000${JSON.stringify(entry.value)}`, result);
    upstreams.push(result);
  }
  const variables = upstreams.flatMap((u) => u.uses).filter((v, i, all) => all.findIndex((w) => w.name === v.name) === i);
  const yaml = writeYaml({ sourceName: basename(options.path), format: file.format, upstreams, skipped, variables });
  return { format: file.format, upstreams, skipped, variables, yaml };
}

export interface ResolvedUpstreams {
  /** A default config holding the upstreams that resolved (validated and normalised like a file). */
  config: Config;
  /** Upstreams left out because a variable they need is not set. */
  unresolved: Array<{ name: string; problems: string[] }>;
}

/** Interpolates each imported upstream on its own, so one missing variable leaves the others usable. */
export function resolveImported(upstreams: readonly ImportedUpstream[], env: EnvMap, baseDir: string): ResolvedUpstreams {
  const valid: UpstreamConfig[] = [];
  const unresolved: ResolvedUpstreams['unresolved'] = [];
  for (const u of upstreams) {
    const problems: string[] = [];
    const expand = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const r = interpolate(value, env);
        if (!r.ok) problems.push(...r.messages);
        return r.ok ? r.value : '';
      }
      if (Array.isArray(value)) return value.map(expand);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
      return value;
    };
    const parsed = UpstreamSchema.safeParse({ name: u.name, ...(expand(u.fields) as Record<string, unknown>) });
    if (problems.length === 0 && !parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    if (problems.length > 0 || !parsed.success) unresolved.push({ name: u.name, problems: [...new Set(problems)] });
    else valid.push(parsed.data);
  }
  return { config: normaliseConfig(ConfigSchema.parse({ upstreams: valid }), baseDir), unresolved };
}
