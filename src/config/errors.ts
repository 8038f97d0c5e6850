/**
 * Config mistakes are data: every problem and warning carries the YAML path (`upstreams[1].name`),
 * the 1-based line and column where it sits in the file, and a message that says what was expected.
 * A `ConfigError` collects all problems of one load so a user fixes them in one pass (fastify's
 * initial-config-validation reports the whole list, not the first failure). Its message is one line
 * per problem, `file:line:col path: message`, which the CLI prints before exiting with code 2.
 */

export interface ConfigProblem {
  /** YAML path in JS-ish notation, `''` for the document itself. */
  path: string;
  /** 1-based; absent when the problem has no place in the file (e.g. the file does not exist). */
  line?: number;
  column?: number;
  message: string;
}

/** A load-time warning: same shape as a problem, but the config is still used. */
export type ConfigWarning = ConfigProblem;

/**
 * What a check that needs knowledge from outside the config layer reports (the policy check needs the
 * detectors' rule capabilities, issue 12): a YAML path, a message, and whether the load must stop.
 */
export interface ConfigIssue {
  path: readonly PropertyKey[];
  message: string;
  level: 'error' | 'warning';
  /** `key`: the line points at the path's last key, not its value (the key itself is wrong); default the value. */
  at?: 'key';
}

/** One problem as a single line: `watchdog.yaml:7:5 upstreams[1].name: must match …`. */
export function formatProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? `${file}:` : `${file}:${problem.line}:${problem.column ?? 1}`;
  const what = problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
  return `${where} ${what}`;
}

/** Problems in file order (line, then column); problems without a position come first. */
export function sortProblems<T extends ConfigProblem>(problems: readonly T[]): T[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

export class ConfigError extends Error {
  readonly code = 'WDG_CONFIG_INVALID';
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = Object.freeze(sorted);
  }
}
