/**
 * What one upstream contributes to the merged catalog, fetched over its connection.
 * Lists are fetched raw (ResultSchema keeps every field as sent) and every page is followed.
 *
 * Tasks (experimental in 2025-11-25, issue 3): the gateway does not forward `tasks/*` (it would have to
 * map task ids per upstream and per session, and keep polling state for a feature clients barely use),
 * so it declares no `tasks` capability. Tools an upstream marks `execution.taskSupport: "required"`
 * cannot be called without tasks and are hidden here, counted in `hiddenTaskTools`; `optional` tools
 * stay and are called synchronously (dispatch strips a stray `task` parameter).
 */
import { ResultSchema } from '@modelcontextprotocol/core';
import type { Client } from '@modelcontextprotocol/client';
import type { Json } from '../core/index.js';

export interface CatalogSlice {
  tools: Json[];
  prompts: Json[];
  resources: Json[];
  resourceTemplates: Json[];
  instructions?: string;
  capabilities: Json;
  /** Names of tools withheld because they can only run as tasks. */
  hiddenTaskTools?: string[];
}

export const EMPTY_SLICE: CatalogSlice = Object.freeze({ tools: [], prompts: [], resources: [], resourceTemplates: [], capabilities: {} });

/** Hard cap on pages so a misbehaving server that always returns a cursor cannot loop forever. */
const MAX_PAGES = 100;

export async function fetchList(client: Client, method: string, key: string, timeoutMs: number): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await client.request({ method, params: cursor ? { cursor } : {} }, ResultSchema, { timeout: timeoutMs })) as Json;
    const list = result[key];
    if (Array.isArray(list)) items.push(...(list as Json[]));
    cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}

export async function fetchSlice(client: Client, timeoutMs: number): Promise<CatalogSlice> {
  const capabilities = (client.getServerCapabilities() ?? {}) as Json;
  const [tools, prompts, resources, resourceTemplates] = await Promise.all([
    capabilities.tools ? fetchList(client, 'tools/list', 'tools', timeoutMs) : [],
    capabilities.prompts ? fetchList(client, 'prompts/list', 'prompts', timeoutMs) : [],
    capabilities.resources ? fetchList(client, 'resources/list', 'resources', timeoutMs) : [],
    capabilities.resources ? fetchList(client, 'resources/templates/list', 'resourceTemplates', timeoutMs).catch(() => []) : [],
  ]);
  const { callable, hidden } = splitTaskOnly(tools);
  return { tools: callable, prompts, resources, resourceTemplates, capabilities, instructions: client.getInstructions(), hiddenTaskTools: hidden };
}

export function isTaskOnly(tool: Json): boolean {
  return (tool.execution as Json | undefined)?.taskSupport === 'required';
}

/** Separates tools that need task execution (hidden) from those that can be called directly. */
export function splitTaskOnly(tools: Json[]): { callable: Json[]; hidden: string[] } {
  const callable = tools.filter((t) => !isTaskOnly(t));
  return { callable, hidden: tools.filter(isTaskOnly).map((t) => String(t.name)) };
}
