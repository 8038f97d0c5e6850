/**
 * Port: a read-only view of the merged catalog — every upstream's tools as the gateway exposes them —
 * so a detector inspecting one upstream's tool can compare it with the others' (shadowing: a tool whose
 * description speaks about another server's tools). The gateway's catalog is the source; detectors
 * never reach the gateway itself.
 */

/** The MCP tool annotations flow tracking reads (spec `ToolAnnotations`); only values a server stated. */
export interface ToolHints {
  readOnlyHint?: boolean;
  openWorldHint?: boolean;
}

export interface CatalogTool {
  upstream: string;
  /** The tool's name at its upstream. */
  name: string;
  /** The name the merged catalog exposes. */
  publicName: string;
  description?: string;
  /** Boolean hints the server stated in `annotations`; absent when it stated none. */
  hints?: ToolHints;
  /** The tool's input schema as listed (filesystem scope reads `format: uri` from it). */
  inputSchema?: unknown;
}

export interface CatalogView {
  tools(): readonly CatalogTool[];
}

/** A view over a fixed list (scan, eval, tests). */
export function staticCatalogView(tools: readonly CatalogTool[] = []): CatalogView {
  const frozen = Object.freeze([...tools]);
  return { tools: () => frozen };
}
