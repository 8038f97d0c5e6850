/**
 * Which values of a stdio upstream are paths relative to the config file (issue 7, item 17: the shipped
 * `watchdog.yaml` gave server-memory `MEMORY_FILE_PATH: .watchdog/memory.jsonl`, which the server joined
 * to its own folder inside node_modules). One rule, so a reader of the YAML can tell without knowing
 * the server:
 * - `cwd`: always a path; relative means relative to the config file's folder (default: that folder).
 * - `command`, each `args` entry, each `env` value: made absolute against the config file's folder when
 *   the whole value is `.` or `..` or starts with `./`, `../` (or `.\`, `..\`). Anything else is passed as
 *   written — a flag, a package name, a URL, `--dir=./x` — and a bare relative argument is then relative
 *   to the upstream's `cwd` (the config file's folder unless set), as for any program.
 */
import { resolve } from 'node:path';

const RELATIVE = /^\.\.?(?:[/\\]|$)/;

export function isConfigRelative(value: string): boolean {
  return RELATIVE.test(value);
}

/** `value` made absolute against `baseDir` when the rule above marks it as a path; else unchanged. */
export function resolveConfigPath(value: string, baseDir: string): string {
  return isConfigRelative(value) ? resolve(baseDir, value) : value;
}
