/**
 * What one upstream contributes to the merged catalog, fetched over its connection.
 * Lists are fetched raw (ResultSchema keeps every field as sent) and every page is followed.
 */
import { ResultSchema } from '@modelcontextprotocol/core';
import type { Client } from '@modelcontextprotocol/client';

export type Json = Record<string, unknown>;

export interface CatalogSlice {
  tools: Json[];
  prompts: Json[];
  resources: Json[];
  resourceTemplates: Json[];
  instructions?: string;
  capabilities: Json;
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
  return { tools, prompts, resources, resourceTemplates, capabilities, instructions: client.getInstructions() };
}
