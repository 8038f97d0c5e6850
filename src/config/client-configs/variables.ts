/**
 * Client-config variables → the gateway's `${VAR}` interpolation (interpolate.ts), decided once so a
 * converted string means at start-up what it meant in the client:
 * - `${env:X}` (Cursor, VS Code, Windsurf) → `${X}`; `${X}` and `${X:-default}` (Claude Code) stay.
 * - `${input:id}` (VS Code prompts for it) → `${ID}` (upper-cased, `-`/`.` → `_`), a variable the user
 *   sets; the YAML header names the input's description.
 * - `${workspaceFolder}` → the workspace path when known (--workspace, or the folder holding
 *   `.vscode/`/`.cursor/`), else `${WORKSPACE_FOLDER}`: the gateway serves every project at once, so it
 *   has no workspace of its own. `${workspaceFolderBasename}` likewise.
 * - `${userHome}` → `${HOME}`; `${pathSeparator}` and `${/}` → `/`.
 * - anything else (`${command:…}`, `${config:…}`) only the client can evaluate: a problem, and the entry
 *   is skipped rather than started with a literal placeholder.
 * A stray `${` without a closing brace is escaped as `$${` so it stays literal.
 */
import { basename } from 'node:path';
import type { ClientInput } from './read.js';

export interface VariableContext {
  inputs: ReadonlyMap<string, ClientInput>;
  workspace?: string;
}

/** Why a variable must be set, for the YAML header. */
export interface VariableUse {
  name: string;
  origin: string;
}

export interface Translated {
  value: string;
  uses: VariableUse[];
  problems: string[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(:-[\s\S]*)?$/;

export function inputVariable(id: string): string {
  const name = id.toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Z_]/.test(name) ? name : `INPUT_${name}`;
}

function inputOrigin(id: string, ctx: VariableContext): string {
  const input = ctx.inputs.get(id);
  if (!input) return `\${input:${id}} (not declared in "inputs")`;
  const what = input.description ? `: ${JSON.stringify(input.description)}` : '';
  return `VS Code input "${id}"${what}${input.password ? ' (secret)' : ''}`;
}

function workspaceValue(ctx: VariableContext, base: boolean, uses: VariableUse[]): string {
  if (ctx.workspace !== undefined) return escapeLiteral(base ? basename(ctx.workspace) : ctx.workspace);
  const name = base ? 'WORKSPACE_FOLDER_BASENAME' : 'WORKSPACE_FOLDER';
  uses.push({ name, origin: `\${${base ? 'workspaceFolderBasename' : 'workspaceFolder'}}: the project folder these servers work on` });
  return `\${${name}}`;
}

function translateOne(body: string, ctx: VariableContext, uses: VariableUse[], problems: string[]): string {
  if (body.startsWith('env:')) {
    const name = body.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`\${${body}}: not a variable name`);
    else uses.push({ name, origin: `\${env:${name}} in the client config` });
    return `\${${name}}`;
  }
  if (body.startsWith('input:')) {
    const id = body.slice(6);
    const name = inputVariable(id);
    uses.push({ name, origin: inputOrigin(id, ctx) });
    return `\${${name}}`;
  }
  if (body === 'workspaceFolder' || body === 'workspaceRoot') return workspaceValue(ctx, false, uses);
  if (body === 'workspaceFolderBasename') return workspaceValue(ctx, true, uses);
  if (body === 'userHome') return '${HOME}';
  if (body === 'pathSeparator' || body === '/') return '/';
  const ref = REFERENCE.exec(body);
  if (ref) {
    if (ref[2] === undefined) uses.push({ name: ref[1] as string, origin: `\${${ref[1]}} in the client config` });
    return `\${${body}}`;
  }
  problems.push(`\${${body}} can only be evaluated by the client`);
  return '';
}

/** `${` that is not ours to interpret becomes `$${` (the gateway's literal escape). */
function escapeLiteral(text: string): string {
  return text.replaceAll('${', () => '$${');
}

export function translateVariables(text: string, ctx: VariableContext): Translated {
  const uses: VariableUse[] = [];
  const problems: string[] = [];
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    out += escapeLiteral(text.slice(last, match.index));
    out += translateOne(match[1] as string, ctx, uses, problems);
    last = match.index + match[0].length;
  }
  out += escapeLiteral(text.slice(last));
  return { value: out, uses, problems };
}
