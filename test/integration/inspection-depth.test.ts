/**
 * Issue 7, item 5: the field walker inspects 32 levels below a walk's root (fields.ts MAX_DEPTH); a
 * message nested deeper fails closed in both directions. A secret 40 levels down in tool arguments is
 * blocked before the upstream sees the call, and 40 levels down in a result before the client sees it;
 * each time the model reads why (`inspection/too-deep`) and the finding is recorded. At depth 20 the
 * same secret is found and redacted, which shows the limit is what decides.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';

const LEAKY = join(ROOT, 'test/fixtures/leaky-server.mjs');
/** The fixture's LEAKED_TOKEN: `{token}` in the fixture's texts becomes it. */
const TOKEN = ['ghp_', 'L3akyS3rv3rT0k3nAb', 'Cd3Ef5Gh6Ij9Kl0Mn1'].join('');
const BLOCKED = /^blocked by mcp-watchdog: inspection\/too-deep: nested deeper than 32 levels at .+; too deep to inspect, so it was not passed on, finding f_[0-9a-f]{12}$/;

function nested(depth: number, leaf: unknown): Record<string, unknown> {
  let node: unknown = leaf;
  for (let i = 0; i < depth; i++) node = { n: node };
  return node as Record<string, unknown>;
}

describe('fail closed past the inspection depth limit (issue 7, item 5)', () => {
  const dir = tempDir();
  let gateway: RunningGateway;
  let client: Client;

  beforeAll(async () => {
    gateway = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: leaky, command: ${NODE}, args: [${LEAKY}] }
`, { baseDir: dir });
    client = await connectHttp(gateway.url);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  /** What the upstream received (its answer passes the gateway's own inspection, so a redaction marker may follow the JSON). */
  const received = async () => {
    const text = textOf(await client.callTool({ name: 'leaky__calls', arguments: {} }));
    return JSON.parse(text.replace(/ \[mcp-watchdog: [^\]]*\]$/, '')) as Array<{ tool: string; arguments: unknown }>;
  };
  const tooDeep = (direction: string) => gateway.app.store.findings.query({ limit: 1000 }).filter((r) => r.rule === 'inspection/too-deep' && r.direction === direction);

  it('blocks arguments with a secret at depth 40 before they reach the upstream', async () => {
    const result = await client.callTool({ name: 'leaky__sink', arguments: nested(40, `key ${TOKEN}`) });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(BLOCKED);
    expect(textOf(result)).not.toContain(TOKEN);
    expect((await received()).filter((r) => r.tool === 'sink')).toEqual([]);
    const [finding] = tooDeep('to_upstream');
    expect(finding?.action).toBe('block');
    expect(finding?.path).toMatch(/^arguments(\.n){33}$/);
  });

  it('blocks a result with a secret at depth 40 before it reaches the client', async () => {
    const result = await client.callTool({ name: 'leaky__deep', arguments: { depth: 40, text: 'key {token}' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(BLOCKED);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(tooDeep('to_client')[0]?.path).toMatch(/^structuredContent(\.n){33}$/);
  });

  it('inspects and redacts the same secret at depth 20 in both directions', async () => {
    const result = await client.callTool({ name: 'leaky__deep', arguments: { depth: 20, text: 'key {token}' } });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent)).toContain('[REDACTED:');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(textOf(await client.callTool({ name: 'leaky__sink', arguments: nested(20, `key ${TOKEN}`) }))).toBe('received');
    const sent = (await received()).filter((r) => r.tool === 'sink');
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain('[REDACTED:');
    expect(JSON.stringify(sent[0])).not.toContain(TOKEN);
  });
});
