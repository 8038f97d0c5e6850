/**
 * Loading `watchdog.yaml`: read → parse YAML (keeping node ranges) → interpolate `${VAR}` in string
 * values → validate with the one zod schema → cross-field rules → normalise and freeze. Every stage
 * reports problems with the YAML path and line; any problem stops the load with one `ConfigError`
 * listing them all (the CLI prints it and exits 2, issue 2). Warnings come back as data for the caller
 * to log. An empty file (or one holding only comments) is a valid config with no upstreams.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { formatPath } from '../core/index.js';
import { ConfigError, type ConfigIssue, type ConfigProblem, type ConfigWarning } from './errors.js';
import { interpolateDocument, type EnvMap } from './interpolate.js';
import { configWarnings, crossFieldProblems, normaliseConfig, type Locate } from './normalise.js';
import { ConfigSchema, type Config } from './schema.js';
import { offsetToPosition, positionOfKey, positionOfPath } from './yaml-positions.js';
import { zodProblems } from './zod-problems.js';

export interface LoadedConfig {
  /** Validated, normalised and deep-frozen; mutation throws. */
  readonly config: Config;
  /** The file it came from (absolute for `loadConfig`). */
  readonly path: string;
  readonly warnings: readonly ConfigWarning[];
  /** SHA-256 of the file's text (hex, first 16 characters): which version of the file is in force. */
  readonly hash: string;
}

/** A check that needs knowledge from above the config layer (the composition root's policy check). */
export type ConfigCheck = (config: Config) => readonly ConfigIssue[];

export interface LoadOptions {
  /** Variables for `${VAR}` interpolation and the state folder (`XDG_STATE_HOME`); default `process.env`. */
  env?: EnvMap;
  /** Extra checks run on the schema-valid config; their errors stop the load like any other. Default none. */
  checks?: readonly ConfigCheck[];
}

export interface ParseOptions extends LoadOptions {
  /** Name used in messages (`watchdog.yaml:7:5 …`). */
  file: string;
  /** Folder that relative `cwd` and `gateway.store` are resolved against. */
  baseDir: string;
}

function parseYaml(source: string, file: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((err): ConfigProblem => ({
      path: '',
      ...offsetToPosition(lineCounter, err.pos[0]),
      message: `YAML syntax error: ${err.message}`,
    }));
    throw new ConfigError(file, problems);
  }
  return { doc, lineCounter };
}

function yamlWarnings(doc: Document, lineCounter: LineCounter): ConfigWarning[] {
  return doc.warnings.map((w) => ({ path: '', ...offsetToPosition(lineCounter, w.pos[0]), message: w.message }));
}

function topLevelKind(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (Array.isArray(raw)) return 'a list';
  return typeof raw === 'object' ? undefined : `a ${typeof raw}`;
}

/** Validates config text; the pure core of `loadConfig`, also used by the golden tests. */
export function parseConfig(source: string, options: ParseOptions): LoadedConfig {
  const { file, baseDir } = options;
  const { doc, lineCounter } = parseYaml(source, file);
  const interpolationProblems = interpolateDocument(doc, options.env ?? process.env, lineCounter);
  if (interpolationProblems.length > 0) throw new ConfigError(file, interpolationProblems);

  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const kind = topLevelKind(raw);
  if (kind !== undefined) {
    throw new ConfigError(file, [{ path: '', ...positionOfPath(doc, lineCounter, []), message: `expected a mapping at the top level, got ${kind}` }]);
  }
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(file, zodProblems(result.error.issues, raw ?? {}, doc, lineCounter));

  const locate: Locate = (path) => positionOfPath(doc, lineCounter, path);
  const issues = (options.checks ?? []).flatMap((check) => check(result.data));
  const where = (issue: ConfigIssue) => (issue.at === 'key' ? positionOfKey(doc, lineCounter, issue.path.slice(0, -1), String(issue.path.at(-1))) : locate(issue.path));
  const located = (issue: ConfigIssue): ConfigProblem => ({ path: formatPath(issue.path), ...where(issue), message: issue.message });
  const errors = [...crossFieldProblems(result.data, locate), ...issues.filter((i) => i.level === 'error').map(located)];
  if (errors.length > 0) throw new ConfigError(file, errors);
  const warnings = [...yamlWarnings(doc, lineCounter), ...configWarnings(result.data, locate), ...issues.filter((i) => i.level === 'warning').map(located)];
  return Object.freeze({ config: normaliseConfig(result.data, baseDir, { env: options.env }), path: file, warnings: Object.freeze(warnings), hash: configHash(source) });
}

export function configHash(source: string): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}

/** Reads and validates a config file; throws `ConfigError` (never a raw fs or zod error). */
export function loadConfig(path: string, options: LoadOptions = {}): LoadedConfig {
  const absolute = resolve(path);
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file (${(err as Error).message})`;
    throw new ConfigError(path, [{ path: '', message: reason }]);
  }
  const loaded = parseConfig(source, { ...options, file: path, baseDir: dirname(absolute) });
  return Object.freeze({ ...loaded, path: absolute });
}
