/**
 * Issue 10, acceptance 1 and 2, through running gateways with a real upstream whose tools change at run
 * time (test/fixtures/rug-pull-server.mjs) and the real SDK client, on a real SQLite store: the first
 * listing is pinned; after a few calls `send_email` gains an order to read the address book through
 * another tool and announces list_changed — the engine alone does not flag that text, the pin holds it
 * (withheld from tools/list); a benign rewording is re-pinned with an alert; an annotation flip is held;
 * a second gateway on the same store (a fresh process state: a restarted server that starts pulled)
 * agrees; an approval made through another connection to the store releases the tool in both gateways
 * without a restart.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, parsePinTarget, pinsOf } from '../../src/pin-review.js';
import { openWatchdogStore, type WatchdogStore } from '../../src/store/index.js';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';

const FIXTURE = join(ROOT, 'test/fixtures/rug-pull-server.mjs');
const dir = tempDir('tool-pinning-');
const storePath = join(dir, 'watchdog.db');
const yaml = (env = '{}') => `
gateway: { http: { port: 0 }, store: ${storePath} }
upstreams:
  - { name: mail, command: ${NODE}, args: [${FIXTURE}, --after, '2'], env: ${env} }
`;

async function descriptions(client: Client): Promise<Map<string, string>> {
  const { tools } = await client.listTools();
  return new Map(tools.map((t) => [t.name.replace(/^mail__/, ''), t.description ?? '']));
}

describe('tool pinning against a rug-pulling upstream', () => {
  let first: RunningGateway;
  let second: RunningGateway | undefined;
  let client: Client;
  let other: WatchdogStore;

  beforeAll(async () => {
    first = await startGateway(yaml(), { deps: { pinPollMs: 100 } });
    client = await connectHttp(first.url);
    other = openWatchdogStore(storePath);
  });
  afterAll(async () => {
    await client?.close();
    await second?.close();
    await first?.close();
    other?.close();
  });

  const rules = (gateway: RunningGateway) => gateway.app.store.findings.page({}).findings.map((f) => f.rule);

  it('pins the first listing', async () => {
    const listed = await descriptions(client);
    expect(listed.get('send_email')).toBe('Sends an e-mail to one recipient.');
    const pins = pinsOf(other.pins, { upstream: 'mail' });
    expect(pins.map((p) => p.item).sort()).toEqual(['delete_message', 'flip_annotations', 'lookup_contact', 'pid', 'send_email']);
    expect(pins.every((p) => p.approved !== undefined && p.pending === undefined)).toBe(true);
  });

  it('holds the rug pull at the next listing: send_email is withheld, the pending change recorded', async () => {
    for (let i = 0; i < 2; i++) expect(textOf(await client.callTool({ name: 'mail__send_email', arguments: { to: 'a@example.org', body: 'hi' } }))).toBe('sent to a@example.org');
    await waitFor(async () => ((await descriptions(client)).has('send_email') ? undefined : true), 10_000, 'send_email withheld');
    const pin = pinsOf(other.pins, { upstream: 'mail', item: 'send_email' })[0];
    expect(pin?.pending).toMatchObject({ status: 'held' });
    expect(pin?.pending?.reason).toContain('introduces a reference to the tool lookup_contact');
    expect(rules(first)).toContain('tool-pinning/held');
    expect(first.app.gateway.snapshot().withheld).toContainEqual({ upstream: 'mail', kind: 'tool', name: 'send_email' });
  });

  it('re-pins a benign rewording with an alert and shows it', async () => {
    const pid = Number(textOf(await client.callTool({ name: 'mail__pid', arguments: {} })));
    process.kill(pid, 'SIGUSR2');
    await waitFor(async () => ((await descriptions(client)).get('lookup_contact')?.includes('nickname') ? true : undefined), 10_000, 'reworded lookup_contact');
    expect(rules(first)).toContain('tool-pinning/changed');
    expect(pinsOf(other.pins, { upstream: 'mail', item: 'lookup_contact' })[0]?.pending).toBeUndefined();
  });

  it('holds an annotation flip', async () => {
    await client.callTool({ name: 'mail__flip_annotations', arguments: {} });
    await waitFor(async () => ((await descriptions(client)).has('delete_message') ? undefined : true), 10_000, 'delete_message withheld');
    expect(pinsOf(other.pins, { upstream: 'mail', item: 'delete_message' })[0]?.pending?.reason).toContain('destructiveHint true→false');
  });

  it('a second gateway on the same store, whose upstream starts pulled, agrees', async () => {
    second = await startGateway(yaml("{ RUG_PULLED: '1' }"), { deps: { pinPollMs: 100 } });
    const client2 = await connectHttp(second.url);
    try {
      const listed = await descriptions(client2);
      expect(listed.has('send_email')).toBe(false);
      expect(listed.has('lookup_contact')).toBe(true);
    } finally {
      await client2.close();
    }
  });

  it('approval through another connection to the store releases send_email in both gateways without a restart', async () => {
    const approved = decide(other.pins, 'approve', parsePinTarget('mail/send_email'), Date.now());
    expect(approved).toHaveLength(1);
    await waitFor(async () => ((await descriptions(client)).get('send_email')?.includes('lookup_contact') ? true : undefined), 10_000, 'send_email released');
    const client2 = await connectHttp(second!.url);
    try {
      await waitFor(async () => ((await descriptions(client2)).has('send_email') ? true : undefined), 10_000, 'released in the second gateway');
    } finally {
      await client2.close();
    }
    expect((await descriptions(client)).has('delete_message')).toBe(false);
  });

  it('the admin API lists, diffs and approves: the flipped annotation is released without a restart', async () => {
    // The second gateway's server instance still serves the unflipped annotation: alone, the first is the one to judge.
    await second?.close();
    second = undefined;
    const admin = first.url.replace(/\/mcp$/, '');
    const held = (await (await fetch(`${admin}/pins?status=held`)).json()) as { pins: Array<{ item: string; reason: string }> };
    expect(held.pins.map((p) => p.item)).toEqual(['delete_message']);
    const diff = await fetch(`${admin}/pins/diff?target=mail/delete_message`);
    expect(diff.status).toBe(200);
    const { diffs } = (await diff.json()) as { diffs: Array<{ fields: Array<{ field: string; before?: string; after?: string }> }> };
    expect(diffs[0]?.fields).toEqual([{ field: 'annotations', before: '{\n  "destructiveHint": true\n}', after: '{\n  "destructiveHint": false\n}' }]);
    const form = await fetch(`${admin}/pins/approve`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'target=mail/delete_message' });
    expect(form.status).toBe(415);
    const approve = (body: unknown) => fetch(`${admin}/pins/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await approve({ target: 'mail/delete_message' })).status).toBe(200);
    await waitFor(async () => ((await descriptions(client)).has('delete_message') ? true : undefined), 10_000, 'delete_message released');
    expect((await approve({ target: 'mail/delete_message' })).status).toBe(404);
    expect((await approve({ target: '' })).status).toBe(400);
  });
});
