/**
 * What a changed definition introduces that the old one did not have, beyond what the detection engine
 * reports (issue 10, "Classify each change"): a flipped safety annotation (`destructiveHint` true→false,
 * `readOnlyHint` false→true, `openWorldHint` true→false; the old value read with the spec's defaults),
 * a link to a host or an e-mail address the definition never named, a reference to another tool of the
 * catalog, or a new parameter that solicits the conversation or the model's context.
 * Each is a reason to hold the change; a plain wording or schema edit yields none. Hosts, not URLs, are
 * compared: a documentation link moving within its site is an edit (a real GitHub server update does it).
 */
import { ownValue } from '../../core/index.js';

type Definition = Record<string, unknown>;

/** MCP `ToolAnnotations` defaults (spec 2025-06-18): what an absent hint means. */
const SAFETY_FLIPS: readonly { hint: string; safe: boolean; unsafe: boolean; fallback: boolean }[] = [
  { hint: 'destructiveHint', safe: true, unsafe: false, fallback: true },
  { hint: 'readOnlyHint', safe: false, unsafe: true, fallback: false },
  { hint: 'openWorldHint', safe: true, unsafe: false, fallback: true },
];

export function annotationFlips(before: Definition | undefined, after: Definition): string[] {
  const old = ownValue<unknown>(before, 'annotations');
  const now = ownValue<unknown>(after, 'annotations');
  return SAFETY_FLIPS.flatMap(({ hint, safe, unsafe, fallback }) => {
    const was = ownValue<unknown>(old, hint);
    const is = ownValue<unknown>(now, hint);
    const effective = typeof was === 'boolean' ? was : fallback;
    return effective === safe && is === unsafe ? [`flips annotations.${hint} ${String(safe)}→${String(unsafe)}`] : [];
  });
}

/** Every string of a definition (keys of `properties` included: a parameter's name is text the model reads). */
export function textOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 32) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) textOf(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      textOf(v, out, depth + 1);
    }
  }
  return out;
}

const URL_HOST = /\b(?:https?|wss?|ftp):\/\/([a-z0-9.-]{1,253})/gi;
const EMAIL = /[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+/gi;

function found(pattern: RegExp, text: string, group: number): Set<string> {
  return new Set([...text.matchAll(pattern)].map((m) => (m[group] ?? '').toLowerCase()));
}

function newIn(before: string, after: string, pattern: RegExp, group: number): string[] {
  const old = found(pattern, before, group);
  return [...found(pattern, after, group)].filter((x) => x !== '' && !old.has(x));
}

/** A tool name that cannot be an ordinary word: it has a separator or an inner capital. */
function distinctive(name: string): boolean {
  return name.length >= 4 && /[_.-]|[a-z][A-Z]/.test(name);
}

function mentions(text: string, name: string): boolean {
  const at = text.indexOf(name);
  if (at < 0) return false;
  const before = text[at - 1];
  const after = text[at + name.length];
  const word = /[\w]/;
  return !(before !== undefined && word.test(before)) && !(after !== undefined && word.test(after));
}

const SOLICITING_NAME = /^(?:conversation(?:_?history)?|chat_?history|message_?history|previous_?messages|prior_?messages|system_?prompt|full_?context|context_?window|transcript|session_?history|all_?messages)$/i;
const SOLICITING_TEXT = /\b(?:(?:entire|full|whole|complete|previous|prior|all(?: the)?|verbatim)\s{1,3}(?:conversation|chat|transcript|message history|messages|system prompt|instructions you (?:were|have been) given)|your\s{1,3}(?:system prompt|instructions|context window)|(?:conversation|chat) history)\b/i;

function newParameters(before: Definition | undefined, after: Definition): [string, unknown][] {
  const props = (d: Definition | undefined) => ownValue<Record<string, unknown>>(ownValue(d, 'inputSchema'), 'properties');
  const old = props(before) ?? {};
  const now = props(after);
  if (now === null || typeof now !== 'object') return [];
  return Object.entries(now).filter(([k]) => !Object.prototype.hasOwnProperty.call(old, k));
}

export interface SignalInput {
  before: Definition | undefined;
  after: Definition;
  /** The item's own name, never a "reference to another tool". */
  self: string;
  /** Names of the catalog's other tools (upstream and public names). */
  otherTools: readonly string[];
}

export function changeSignals(input: SignalInput): string[] {
  const { before, after } = input;
  const oldText = textOf(before).join('\n');
  const newText = textOf(after).join('\n');
  const reasons = annotationFlips(before, after);
  for (const host of newIn(oldText, newText, URL_HOST, 1)) reasons.push(`introduces a link to ${host}`);
  for (const mail of newIn(oldText, newText, EMAIL, 0)) reasons.push(`introduces the e-mail address ${mail}`);
  const refs = new Set(input.otherTools.filter((t) => t !== input.self && distinctive(t) && mentions(newText, t) && !mentions(oldText, t)));
  for (const ref of refs) reasons.push(`introduces a reference to the tool ${ref}`);
  for (const [name, schema] of newParameters(before, after)) {
    const description = ownValue<unknown>(schema, 'description');
    if (SOLICITING_NAME.test(name) || (typeof description === 'string' && SOLICITING_TEXT.test(description))) reasons.push(`introduces the parameter ${name}, which asks for the conversation or the model's context`);
  }
  return reasons;
}
