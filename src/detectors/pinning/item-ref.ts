/**
 * Which catalog item a listing entry is (issue 10): its pin kind from the listing method, and the
 * upstream's own name for it — a tool's or prompt's `name`, a resource's `uri`, a template's
 * `uriTemplate`, and `initialize` for the server's instructions.
 */
import { ownValue, type PinKind } from '../../core/index.js';

const KINDS: Readonly<Record<string, PinKind>> = {
  'tools/list': 'tool',
  'prompts/list': 'prompt',
  'resources/list': 'resource',
  'resources/templates/list': 'template',
  initialize: 'instructions',
};

export const PINNED_METHODS: readonly string[] = Object.keys(KINDS);

export function pinKindOf(method: string): PinKind | undefined {
  return ownValue<PinKind>(KINDS, method);
}

const NAME_KEY: Readonly<Record<string, string>> = { tool: 'name', prompt: 'name', resource: 'uri', template: 'uriTemplate' };

export function itemNameOf(kind: PinKind, payload: unknown): string | undefined {
  if (kind === 'instructions') return 'initialize';
  const key = ownValue<string>(NAME_KEY, kind);
  const value = key === undefined ? undefined : ownValue<unknown>(payload, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
