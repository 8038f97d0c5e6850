/**
 * The list phase: methods whose payload is catalog entries (tools, prompts, resources, templates) or an
 * upstream's `initialize` instructions, screened once per content at ingest. Everything else is the call
 * phase. Detectors choose a phase; the default policy treats a listing's strippable findings differently
 * (issue 12: an item with instructions is withheld rather than stripped).
 */
export const LIST_METHODS: ReadonlySet<string> = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'initialize']);

export function isListMethod(method: string): boolean {
  return LIST_METHODS.has(method);
}
