/**
 * Issue 17, acceptance 1: the console in a real headless Chromium (Debian's, through playwright-core)
 * against a gateway with the poisoned fixture and the rug-pull fixture, with the real SDK client: the
 * views render; a finding appears in the feed live while the page is open (never the secret value);
 * the rug pull's held pin shows its field diff; it is approved by keyboard alone; the tool comes back
 * in the client's tools/list without a restart. A screenshot of each view is written under
 * test-results/console-browser/ (WATCHDOG_TEST_OUTPUT overrides the folder).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumNotice, chromiumPath } from '../helpers/chromium.js';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, waitFor, type RunningGateway } from '../helpers/gateway.js';

const POISONED = join(ROOT, 'test/fixtures/poisoned-server.mjs');
const RUG_PULL = join(ROOT, 'test/fixtures/rug-pull-server.mjs');
const CRM = join(ROOT, 'test/fixtures/private-data-server.mjs');
const CHAT = join(ROOT, 'test/fixtures/sink-server.mjs');
const SECRET = ['AKIA', 'Q3EGRX7V'].join('');
const EMAIL = 'jane.doe@northwind-logistics.com';
const OUTPUT = process.env.WATCHDOG_TEST_OUTPUT ?? join(ROOT, 'test-results', 'console-browser');

describe('the web console in headless Chromium', () => {
  if (!chromiumPath) {
    chromiumNotice();
    return;
  }
  const executablePath = chromiumPath;
  let gw: RunningGateway;
  let client: Client;
  let browser: Browser;
  let page: Page;
  let admin: string;
  const dir = tempDir('console-browser-');
  const listed = async () => (await client.listTools()).tools.map((t) => t.name);
  const shot = (name: string) => page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    gw = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: evil, command: ${NODE}, args: [${POISONED}] }
  - { name: mail, command: ${NODE}, args: [${RUG_PULL}, --after, '1'] }
  - { name: crm, command: ${NODE}, args: [${CRM}], labels: [private] }
  - { name: chat, command: ${NODE}, args: [${CHAT}] }
`, { baseDir: dir, deps: { pinPollMs: 100 } });
    client = await connectHttp(gw.url);
    expect(await listed()).toContain('mail__send_email'); // the first listing is pinned
    admin = gw.url.replace(/\/mcp$/, '');
    // Root in a container has no user namespace for Chromium's sandbox.
    browser = await chromium.launch({ executablePath, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await client?.close();
    await gw?.close();
  });

  it('shows the upstreams with their state and what the screen withheld', async () => {
    await page.goto(`${admin}/console`);
    const rows = page.locator('#upstreams tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.nth(0).innerText()).toMatch(/^evil\s+ready/);
    expect(await rows.nth(0).innerText()).toContain('important_add');
    expect(await page.locator('#calls-per-upstream svg').count()).toBe(1);
    expect(await page.locator('#findings-per-hour svg rect').count()).toBeGreaterThan(0);
    await shot('upstreams');
  });

  it('shows a finding live, as it is recorded, masked, and opens it', async () => {
    await page.goto(`${admin}/console/findings?upstream=evil`);
    await page.locator('#live', { hasText: /^live$/ }).waitFor({ timeout: 10_000 });
    const before = await page.locator('#findings tbody tr[data-id]').count();
    expect(before).toBe(0); // rows added by the stream carry data-id; the server-rendered ones do not
    await client.callTool({ name: 'evil__get_config', arguments: {} });
    const row = page.locator('#findings tbody tr[data-id]', { hasText: 'secrets/aws-access-key' });
    await row.waitFor({ timeout: 10_000 });
    await row.locator('summary').click();
    expect(await row.locator('dl').innerText()).toMatch(/Field path\s+content\[0\]\.text/);
    expect(await page.content()).not.toContain(SECRET);
    await shot('findings');
  });

  it('holds the rug pull; the pin shows its diff and is approved by keyboard; the tool comes back', async () => {
    await client.callTool({ name: 'mail__send_email', arguments: { to: 'a@example.org', body: 'hi' } });
    await waitFor(async () => ((await listed()).includes('mail__send_email') ? undefined : true), 10_000, 'send_email withheld');
    await page.goto(`${admin}/console/pins`);
    const pin = page.locator('article.pin', { hasText: 'mail/send_email' });
    await pin.waitFor();
    // Keyboard only: Tab to the pin's summary, open it, Tab to Approve, press Enter.
    for (let i = 0; i < 20 && !(await pin.locator('summary').evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await pin.locator('p.flagged').innerText()).toContain('lookup_contact');
    expect(await pin.locator('table.diff pre.after').first().innerText()).toContain('lookup_contact');
    await shot('pins');
    for (let i = 0; i < 10 && !(await pin.locator('button.approve').evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await pin.locator('.status', { hasText: 'approved' }).waitFor({ timeout: 10_000 });
    await shot('pin-approved');
    await waitFor(async () => ((await listed()).includes('mail__send_email') ? true : undefined), 10_000, 'send_email back in tools/list');
    expect(gw.app.store.findings.page({ rule: 'pins/approved' }).findings.map((f) => f.tool)).toEqual(['send_email']);
  });

  it('the findings view lists the screen, the hold and the approval (an audit event)', async () => {
    await page.goto(`${admin}/console/findings`);
    const rules = await page.locator('#findings tbody tr td:nth-child(3)').allInnerTexts();
    expect(rules).toEqual(expect.arrayContaining(['pins/approved', 'tool-pinning/held', 'secrets/aws-access-key']));
    await shot('findings-all');
  });

  it('shows a cross-server flow with its source, and the principal\'s session risk', async () => {
    expect(textOf(await client.callTool({ name: 'crm__get_customer', arguments: { id: 'c-1' } }))).toContain(EMAIL);
    expect((await client.callTool({ name: 'chat__post_message', arguments: { channel: 'general', text: `ping ${EMAIL}` } })).isError).toBe(true);
    await page.goto(`${admin}/console/flows`);
    const flow = page.locator('#flows tbody tr', { hasText: 'flows/flow' }).first();
    expect(await flow.innerText()).toMatch(/critical[\s\S]*chat[\s\S]*crm/);
    expect(await page.locator('#risk tbody tr').first().innerText()).toMatch(/^user:\S+\s+critical/);
    expect(await page.content()).not.toContain(EMAIL);
    await shot('flows');
  });
});
