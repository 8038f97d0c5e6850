/**
 * Issue 2, acceptance 3 and 4: an upstream that dies mid-session is reported, restarted, and its tools
 * come back with list_changed while the others keep serving; an upstream that never answers fails the
 * call after the configured timeout and the session stays usable.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, startGateway, textOf, TOY, waitFor, type RunningGateway } from '../helpers/gateway.js';

describe('upstream failures', () => {
  let gateway: RunningGateway;
  let client: Client;
  let listChanged = 0;

  beforeAll(async () => {
    gateway = await startGateway(`
gateway: { http: { port: 0 } }
upstreams:
  - { name: steady, command: ${NODE}, args: [${TOY}, --name, steady] }
  - { name: flaky, command: ${NODE}, args: [${TOY}, --name, flaky] }
  - { name: slowpoke, command: ${NODE}, args: [${TOY}, --name, slowpoke], timeout: 1 }
`);
    client = await connectHttp(gateway.url);
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      listChanged++;
    });
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });

  it('keeps serving, reports the dead upstream, restarts it and announces its tools again', async () => {
    const pidBefore = textOf(await client.callTool({ name: 'flaky__pid', arguments: {} }));
    const crash = client.callTool({ name: 'flaky__crash', arguments: {} });
    await expect(crash).rejects.toThrow(/upstream "flaky"/);

    // While it is down: its tools leave the catalog, a call names the upstream and its state, others work.
    const down = await waitFor(async () => {
      const names = (await client.listTools()).tools.map((t) => t.name);
      return names.includes('flaky__echo') ? undefined : names;
    }, 5000, 'flaky tools to disappear');
    expect(down).toContain('steady__echo');
    await expect(client.callTool({ name: 'flaky__echo', arguments: { text: 'x' } })).rejects.toThrow(/upstream "flaky" is (backoff|starting)/);
    expect(textOf(await client.callTool({ name: 'steady__echo', arguments: { text: 'ok' } }))).toBe('steady:ok');

    const seenBefore = listChanged;
    await waitFor(async () => ((await client.listTools()).tools.some((t) => t.name === 'flaky__echo') ? true : undefined), 10_000, 'flaky to come back');
    await waitFor(() => (listChanged > seenBefore ? true : undefined), 5000, 'list_changed after restart');
    const pidAfter = textOf(await client.callTool({ name: 'flaky__pid', arguments: {} }));
    expect(pidAfter).not.toBe(pidBefore);
    expect(textOf(await client.callTool({ name: 'flaky__echo', arguments: { text: 'back' } }))).toBe('flaky:back');
    const snapshot = gateway.app.gateway.snapshot().upstreams.find((u) => u.name === 'flaky');
    expect(snapshot?.restarts).toBeGreaterThanOrEqual(1);
  });

  it('fails a call to an upstream that never answers after its timeout, and the session stays usable', async () => {
    const started = Date.now();
    await expect(client.callTool({ name: 'slowpoke__hang', arguments: {} })).rejects.toThrow(/upstream "slowpoke" did not answer within 1000 ms/);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000);
    expect(textOf(await client.callTool({ name: 'slowpoke__echo', arguments: { text: 'still here' } }))).toBe('slowpoke:still here');
  });
});
