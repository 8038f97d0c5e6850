/**
 * Screening of catalog items (issue 4): each tool, prompt, resource and resource template an upstream
 * lists is inspected as an entry of its listing (`tools/list`, `prompts/list`, `resources/list`,
 * `resources/templates/list`), and each upstream's `initialize` instructions. A blocked item is withheld from the merged catalog (logged and
 * shown in `watchdog status`), a redacted one is shown rewritten. Verdicts are cached by content and
 * catalog view (the candidate catalog's tool names, which a verdict may depend on: shadowing), so a
 * rebuild that changes no tool name does not re-inspect, or re-record findings for, unchanged items.
 */
import type { Json } from '../core/index.js';
import type { Screen, ScreenKind } from './catalog.js';
import type { Inspector } from './inspector.js';

const METHODS: Record<ScreenKind, string> = {
  tool: 'tools/list',
  prompt: 'prompts/list',
  resource: 'resources/list',
  template: 'resources/templates/list',
  instructions: 'initialize',
};

/** Entries kept before the cache is cleared (a catalog is rarely over a few hundred items). */
const MAX_CACHED = 10_000;

export function createScreen(inspector: Inspector): Screen {
  const cache = new Map<string, Json | null>();
  return async (upstream, kind, item, context) => {
    const key = `${context?.view ?? ''}\u0000${upstream}\u0000${kind}\u0000${JSON.stringify(item)}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const verdict = await inspector.inspect({ method: METHODS[kind], direction: 'to_client', upstream, tool: kind === 'tool' ? String(item.name ?? '') : undefined, payload: item });
    const shown = verdict.kind === 'block' ? null : verdict.kind === 'redact' ? (verdict.payload as Json) : item;
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, shown);
    return shown ?? undefined;
  };
}
