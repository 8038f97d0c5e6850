/**
 * `${VAR}` and `${VAR:-default}` in string values, so secrets live in the environment, not in
 * `watchdog.yaml` (issue 2). Rules, as in POSIX shells: `:-` uses the default when the variable is
 * unset or empty; `${VAR}` with VAR set to '' is ''; `$${` writes a literal `${`; a bare `$VAR` is
 * left alone. A missing variable without a default is a config problem naming the variable and the
 * YAML path/line where it is used — never a silent empty string. Mapping keys are not interpolated, and
 * the result is always a string (a number field cannot be filled from the environment).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { formatPath, ownValue } from '../core/index.js';
import type { ConfigProblem } from './errors.js';
import { offsetToPosition } from './yaml-positions.js';

/** The environment used for interpolation; injected so tests never depend on `process.env`. */
export type EnvMap = Readonly<Record<string, string | undefined>>;

export type Interpolated = { ok: true; value: string } | { ok: false; messages: string[] };

const TOKEN = /\$\$\{|\$\{([^}]*)(\})?/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

function expand(body: string, closed: boolean, env: EnvMap, messages: string[]): string {
  if (!closed) {
    messages.push('unterminated "${" (missing "}"; write "$${" for a literal "${")');
    return '';
  }
  const ref = REFERENCE.exec(body);
  if (!ref) {
    messages.push(`invalid reference "\${${body}}" (expected \${NAME} or \${NAME:-default})`);
    return '';
  }
  const name = ref[1] ?? '';
  const fallback = ref[2];
  const value = ownValue<string>(env, name);
  if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
  if (value === undefined) {
    messages.push(`environment variable ${name} is not set (write \${${name}:-default} to give a default)`);
    return '';
  }
  return value;
}

/** Interpolates one string. */
export function interpolate(text: string, env: EnvMap): Interpolated {
  if (!text.includes('${')) return { ok: true, value: text };
  const messages: string[] = [];
  const value = text.replace(TOKEN, (token: string, body: string | undefined, close: string | undefined) =>
    token === '$${' ? '${' : expand(body ?? '', close !== undefined, env, messages),
  );
  return messages.length > 0 ? { ok: false, messages } : { ok: true, value };
}

/**
 * Interpolates every string scalar value of the document in place and returns the problems found.
 * Aliases are skipped: their anchor is interpolated once and `toJS()` copies the result.
 */
export function interpolateDocument(doc: Document, env: EnvMap, lineCounter: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string') {
      const result = interpolate(node.value, env);
      if (result.ok) {
        node.value = result.value;
        return;
      }
      const pos = offsetToPosition(lineCounter, node.range?.[0] ?? 0);
      for (const message of result.messages) problems.push({ path: formatPath(path), ...pos, message });
    }
  };
  walk(doc.contents, []);
  return problems;
}
