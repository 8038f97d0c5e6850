/**
 * Listing an upstream follows every `nextCursor` page (issue 2).
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Server } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { fetchSlice } from '../../../src/upstream/catalog-slice.js';

describe('fetchSlice', () => {
  it('follows nextCursor across pages', async () => {
    const server = new Server({ name: 'paged', version: '1' }, { capabilities: { tools: {} } });
    const pages: Record<string, { tools: unknown[]; nextCursor?: string }> = {
      start: { tools: [{ name: 'a', inputSchema: { type: 'object' } }], nextCursor: 'p2' },
      p2: { tools: [{ name: 'b', inputSchema: { type: 'object' } }], nextCursor: 'p3' },
      p3: { tools: [{ name: 'c', inputSchema: { type: 'object' } }] },
    };
    server.setRequestHandler('tools/list', async (request) => pages[request.params?.cursor ?? 'start'] as never);
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(b);
    const slice = await fetchSlice(client, 5000);
    expect(slice.tools.map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect(slice.prompts).toEqual([]);
    await client.close();
  });
});
