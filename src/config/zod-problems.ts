/**
 * Turns zod issues into config problems a person can act on. zod's own texts are written for
 * developers ("Invalid input", a union dump with both branches' failures); here each issue becomes one
 * line with a YAML path, a line, and what was expected. The one union in the schema (stdio vs remote
 * upstream) is resolved by the key the user wrote: with `command` only the stdio branch's issues are
 * reported, with `url` only the remote branch's, with neither the message says so.
 */
import type { Document, LineCounter } from 'yaml';
import type { core } from 'zod';
import { formatPath, ownValue } from '../core/index.js';
import type { ConfigProblem } from './errors.js';
import { knownKeysAt, suggestKey } from './key-suggestions.js';
import { ConfigSchema } from './schema.js';
import { positionOfKey, positionOfPath } from './yaml-positions.js';

type Issue = core.$ZodIssue;
type Key = PropertyKey;

interface Context {
  raw: unknown;
  doc: Document;
  lineCounter: LineCounter;
}

const NOUNS: Record<string, string> = { object: 'a mapping', array: 'a list', record: 'a mapping', string: 'a string', number: 'a number', boolean: 'true or false', int: 'a whole number' };

function valueAt(raw: unknown, path: readonly Key[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<Key, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function at(ctx: Context, path: readonly Key[], message: string): ConfigProblem {
  return { path: formatPath(path), ...positionOfPath(ctx.doc, ctx.lineCounter, path), message };
}

function typeProblem(ctx: Context, path: readonly Key[], expected: string): ConfigProblem {
  const value = valueAt(ctx.raw, path);
  const noun = ownValue<string>(NOUNS, expected) ?? expected;
  if (value === undefined && path.length > 0) {
    const key = String(path[path.length - 1]);
    return at(ctx, path, `missing required key "${key}" (expected ${noun})`);
  }
  return at(ctx, path, `expected ${noun}, got ${describe(value)}`);
}

/** Drops zod's generic prefixes ("Invalid input: …") and keeps schema-written messages as they are. */
function plainMessage(message: string): string {
  return message.replace(/^(Invalid input|Invalid option|Too small|Too big|Invalid string): /, '');
}

/** Splits `unrecognized_keys` into one issue per key, so branches can be compared key by key. */
function perKey(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue): Issue[] =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ ...issue, keys: [key] })) : [issue],
  );
}

function rebase(issues: readonly Issue[], base: readonly Key[]): Issue[] {
  return issues.map((issue) => ({ ...issue, path: [...base, ...issue.path] }) as Issue);
}

function rejectsKey(branch: readonly Issue[], key: string): boolean {
  return branch.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys.includes(key));
}

/** The upstream union: pick the branch the user meant by the key they wrote. */
function unionProblems(ctx: Context, issue: Extract<Issue, { code: 'invalid_union' }>): ConfigProblem[] {
  const path = issue.path;
  const value = valueAt(ctx.raw, path);
  if (!isMapping(value)) {
    return [at(ctx, path, `expected a mapping with command (stdio) or url (remote), got ${describe(value)}`)];
  }
  const hasCommand = 'command' in value;
  const hasUrl = 'url' in value;
  if (hasCommand && hasUrl) {
    return [at(ctx, path, 'has both command (stdio) and url (remote); an upstream is one or the other')];
  }
  const branches = issue.errors.map(perKey);
  if (hasCommand || hasUrl) {
    const key = hasCommand ? 'command' : 'url';
    const chosen = branches.find((branch) => !rejectsKey(branch, key)) ?? branches[0] ?? [];
    return chosen.flatMap((inner) => issueProblems(ctx, rebase([inner], path)[0] as Issue));
  }
  // Neither key: report the other mistakes of the branch the item fits best (fewest issues), minus
  // the missing `command`/`url` that the first line already explains.
  const closest = [...branches].sort((a, b) => a.length - b.length)[0] ?? [];
  const others = closest.filter((inner) => !(inner.path.length === 1 && (inner.path[0] === 'command' || inner.path[0] === 'url')));
  return [
    at(ctx, path, 'needs either command (stdio) or url (remote)'),
    ...rebase(others, path).flatMap((inner) => issueProblems(ctx, inner)),
  ];
}

function unknownKeyMessage(path: readonly Key[], key: string): string {
  const suggestion = suggestKey(key, knownKeysAt(ConfigSchema, path));
  return suggestion === undefined ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${suggestion}"?)`;
}

function issueProblems(ctx: Context, issue: Issue): ConfigProblem[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        ...positionOfKey(ctx.doc, ctx.lineCounter, path, key),
        message: unknownKeyMessage(path, key),
      }));
    case 'invalid_type':
      return [typeProblem(ctx, path, issue.expected)];
    case 'invalid_union':
      return unionProblems(ctx, issue);
    case 'invalid_value':
      return [at(ctx, path, `expected one of: ${issue.values.map((v) => String(v)).join(', ')}`)];
    case 'invalid_format':
      return [at(ctx, path, issue.format === 'url' ? 'expected an http:// or https:// URL' : plainMessage(issue.message))];
    default:
      return [at(ctx, path, plainMessage(issue.message))];
  }
}

/** All problems for a failed parse, one or more per zod issue. */
export function zodProblems(issues: readonly Issue[], raw: unknown, doc: Document, lineCounter: LineCounter): ConfigProblem[] {
  const ctx: Context = { raw, doc, lineCounter };
  return issues.flatMap((issue) => issueProblems(ctx, issue));
}
