/**
 * Scope creep (issue 11): the input-schema property names of a listed tool, and which of them ask for
 * credentials, tokens or conversation context — the fields a tool that turned hostile adds to an honest
 * schema to be handed what it should never see. Names are split first (`apiKey`, `chat_history`).
 */
import { ownValue } from '../../core/index.js';

const MAX_NAMES = 64;

/** What a field name asks for, or undefined. */
const SENSITIVE_FIELDS: ReadonlyArray<{ what: string; re: RegExp }> = [
  { what: 'credentials', re: /\b(?:api\s?key|secret|password|passwd|passphrase|credentials?|private\s?key|ssh\s?key|access\s?key|client\s?secret|pin\s?code|otp|mfa|2fa)\b/i },
  { what: 'tokens', re: /\b(?:token|tokens|bearer|auth|authorization|cookie|cookies|session\s?id|jwt)\b/i },
  { what: 'conversation context', re: /\b(?:conversation|chat\s?history|message\s?history|messages|transcript|system\s?prompt|prompt\s?history|previous\s?messages|context\s?window|memory|memories)\b/i },
];

function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
}

/** Property names of a tool's input schema, top level and one level down (`options.token`). */
export function schemaFieldNames(tool: unknown): string[] {
  const out: string[] = [];
  const walk = (schema: unknown, prefix: string, depth: number) => {
    const props = ownValue(schema, 'properties');
    if (typeof props !== 'object' || props === null) return;
    for (const [name, child] of Object.entries(props)) {
      if (out.length >= MAX_NAMES) return;
      out.push(`${prefix}${name}`);
      if (depth < 1) walk(child, `${prefix}${name}.`, depth + 1);
    }
  };
  walk(ownValue(tool, 'inputSchema'), '', 0);
  return out;
}

/** What a field name asks for (credentials, tokens, conversation context), if anything. */
export function sensitiveField(name: string): string | undefined {
  const text = words(name.split('.').at(-1) ?? name);
  return SENSITIVE_FIELDS.find((s) => s.re.test(text))?.what;
}
