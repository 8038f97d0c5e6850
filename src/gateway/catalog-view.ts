/**
 * The gateway's side of the `CatalogView` port (core/ports): the merged catalog's tools as
 * (upstream, upstream name, public name, description, input schema, the boolean annotation hints flow
 * tracking reads, issue 9). The list is built once per catalog (a rebuild
 * replaces the catalog object), so reading it on every inspection costs nothing.
 */
import type { CatalogTool, CatalogView, ToolHints } from '../core/index.js';
import type { MergedCatalog } from './catalog.js';

export function catalogViewOf(current: () => MergedCatalog): CatalogView {
  const built = new WeakMap<MergedCatalog, readonly CatalogTool[]>();
  return {
    tools() {
      const catalog = current();
      let tools = built.get(catalog);
      if (!tools) {
        const listed = new Map(catalog.tools.map((t) => [String(t.name ?? ''), t]));
        tools = Object.freeze(
          [...catalog.tool].map(([publicName, route]): CatalogTool => {
            const tool = listed.get(publicName);
            const description = tool?.description;
            const hints = hintsOf(tool?.annotations);
            const inputSchema = tool?.inputSchema;
            return {
              upstream: route.upstream,
              name: route.name,
              publicName,
              ...(typeof description === 'string' ? { description } : {}),
              ...(hints ? { hints } : {}),
              ...(inputSchema === undefined ? {} : { inputSchema }),
            };
          }),
        );
        built.set(catalog, tools);
      }
      return tools;
    },
  };
}

/** The boolean hints a server stated (anything else, or nothing, is no hint). */
function hintsOf(annotations: unknown): ToolHints | undefined {
  if (annotations === null || typeof annotations !== 'object') return undefined;
  const { readOnlyHint, openWorldHint } = annotations as Record<string, unknown>;
  const hints: ToolHints = {
    ...(typeof readOnlyHint === 'boolean' ? { readOnlyHint } : {}),
    ...(typeof openWorldHint === 'boolean' ? { openWorldHint } : {}),
  };
  return Object.keys(hints).length > 0 ? hints : undefined;
}
