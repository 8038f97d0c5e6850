/**
 * The gateway's side of the `CatalogView` port (core/ports): the merged catalog's tools as
 * (upstream, upstream name, public name, description). The list is built once per catalog (a rebuild
 * replaces the catalog object), so reading it on every inspection costs nothing.
 */
import type { CatalogTool, CatalogView } from '../core/index.js';
import type { MergedCatalog } from './catalog.js';

export function catalogViewOf(current: () => MergedCatalog): CatalogView {
  const built = new WeakMap<MergedCatalog, readonly CatalogTool[]>();
  return {
    tools() {
      const catalog = current();
      let tools = built.get(catalog);
      if (!tools) {
        const descriptions = new Map(catalog.tools.map((t) => [String(t.name ?? ''), t.description]));
        tools = Object.freeze(
          [...catalog.tool].map(([publicName, route]): CatalogTool => {
            const description = descriptions.get(publicName);
            return { upstream: route.upstream, name: route.name, publicName, ...(typeof description === 'string' ? { description } : {}) };
          }),
        );
        built.set(catalog, tools);
      }
      return tools;
    },
  };
}
