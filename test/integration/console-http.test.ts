/**
 * Issue 17, acceptance 2, over real sockets with real upstreams (the poisoned fixture and the rug-pull
 * fixture) and the real SDK client: the console's views render the tables server-side (no secret value
 * in them), live findings arrive over server-sent events with their filters, Approve is a POST refused
 * cross-origin, without a same-origin signal, and without the principal's CSRF token, and an approval is
 * recorded as an audit event naming the principal. Off loopback every console route needs the admin token.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, NODE, ROOT, startGateway, tempDir, textOf, TOY, waitFor, type RunningGateway } from '../helpers/gateway.js';

const POISONED = join(ROOT, 'test/fixtures/poisoned-server.mjs');
const RUG_PULL = join(ROOT, 'test/fixtures/rug-pull-server.mjs');
const SECRET = ['AKIA', 'Q3EGRX7V'].join('');
const CLIENT_TOKEN = 'client-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef0';

/** Reads a server-sent event stream until `count` `finding` events arrived or `ms` passed. */
async function readEvents(url: string, count: number, ms: number, started: (ready: Promise<void>) => void = () => {}): Promise<Array<Record<string, unknown>>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  const found: Array<Record<string, unknown>> = [];
  try {
    const response = await fetch(url, { signal: abort.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    started(Promise.resolve());
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: finding$/m.test(block) && data) found.push(JSON.parse(data) as Record<string, unknown>);
      }
      if (found.length >= count) break;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return found;
}

describe('the console on a loopback bind', () => {
  let gw: RunningGateway;
  let client: Client;
  let admin: string;
  const dir = tempDir('console-');

  beforeAll(async () => {
    gw = await startGateway(`
gateway: { http: { port: 0 }, store: ${join(dir, 'watchdog.db')} }
upstreams:
  - { name: evil, command: ${NODE}, args: [${POISONED}] }
  - { name: mail, command: ${NODE}, args: [${RUG_PULL}, --after, '1'] }
`, { baseDir: dir, deps: { pinPollMs: 100 } });
    client = await connectHttp(gw.url);
    admin = gw.url.replace(/\/mcp$/, '');
  });
  afterAll(async () => {
    await client?.close();
    await gw?.close();
  });

  it('renders the upstreams and findings tables on the server, with security headers and no secret value', async () => {
    expect(textOf(await client.callTool({ name: 'evil__get_config', arguments: {} }))).not.toContain(SECRET);
    const home = await fetch(`${admin}/console`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(home.headers.get('cache-control')).toBe('no-store');
    const html = await home.text();
    expect(html).toMatch(/<table id="upstreams">[\s\S]*<td>evil<\/td>[\s\S]*state-ready/);
    expect(html).toContain('important_add'); // withheld by the screen
    const highs = gw.app.store.findings.page({ severity: 'high' }).findings.filter((f) => f.severity === 'high').length;
    expect(highs).toBeGreaterThan(1);
    const chart = /<figure class="chart" id="findings-per-hour">[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
    const charted = [...chart.matchAll(/fill="#e8710a"><title>(\d+) high<\/title>/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(charted).toBe(highs);
    expect(html).toMatch(/<figure class="chart" id="calls-per-upstream">[\s\S]*<td>evil<\/td><td>1 ok, 0 blocked, 0 error<\/td>/);
    const findings = await (await fetch(`${admin}/console/findings?severity=high&upstream=evil&rule=`)).text();
    expect(findings).toContain('secrets/aws-access-key');
    expect(findings).toContain('<option value="high" selected>');
    expect(findings).not.toContain(SECRET);
    expect(await (await fetch(`${admin}/console/findings?severity=critical&rule=secrets`)).text()).toContain('no findings match');
    const js = await fetch(`${admin}/console/assets/console.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain('EventSource');
    expect((await fetch(`${admin}/console/assets/..%2Froutes.js`)).status).toBe(404);
  });

  it('shows each finding\'s reason and principal, and the session risk of each principal', async () => {
    const me = `user:${userInfo().username}`;
    const findings = await (await fetch(`${admin}/console/findings?rule=secrets`)).text();
    expect(findings).toMatch(new RegExp(`<dt>Reason</dt><dd>[^<]*AWS[^<]*</dd>[\\s\\S]*<dt>Principal</dt><dd>${me}</dd>`));
    const flows = await (await fetch(`${admin}/console/flows`)).text();
    expect(flows).toContain('no cross-server flow in the last 24 hours');
    expect(flows).toMatch(new RegExp(`<table id="risk">[\\s\\S]*<td>${me}</td><td><span class="sev sev-high">high</span></td><td>1</td>`));
  });

  it('streams new findings live with the filters applied, masked', async () => {
    let ready!: () => void;
    const opened = new Promise<void>((resolve) => (ready = resolve));
    const secrets = readEvents(`${admin}/console/events?rule=secrets&upstream=evil`, 1, 10_000, () => ready());
    const critical = readEvents(`${admin}/console/events?severity=critical&rule=secrets`, 1, 3_000);
    await opened;
    await new Promise((r) => setTimeout(r, 100));
    await client.callTool({ name: 'evil__get_config', arguments: {} });
    const live = await secrets;
    expect(live.map((f) => [f.rule, f.upstream, f.severity])).toEqual([['secrets/aws-access-key', 'evil', 'high']]);
    expect(String(live[0]?.excerpt)).toMatch(/^AKI…\w{2} \(20 chars\)$/);
    expect(JSON.stringify(live)).not.toContain(SECRET);
    expect(await critical).toEqual([]);
  });

  it('caps the live feeds open at once: one over the cap is a 503 with Retry-After, a closed one frees its slot', async () => {
    const open = async () => {
      const abort = new AbortController();
      const response = await fetch(`${admin}/console/events`, { signal: abort.signal });
      return { response, close: () => abort.abort() };
    };
    // Sequentially, each retried briefly: the previous test's feeds may still be closing on the server.
    const opened = async () =>
      waitFor(async () => {
        const next = await open();
        if (next.response.status === 200) return next;
        await next.response.body?.cancel();
        return undefined;
      }, 5_000, 'a free feed slot');
    const feeds: Array<Awaited<ReturnType<typeof open>>> = [];
    try {
      for (let i = 0; i < 16; i++) feeds.push(await opened());
      const over = await open();
      expect(over.response.status).toBe(503);
      expect(over.response.headers.get('retry-after')).toBe('10');
      expect(((await over.response.json()) as { error: string }).error).toMatch(/too many live feeds open \(at most 16\)/);
      feeds.pop()?.close();
      feeds.push(await opened());
    } finally {
      for (const f of feeds) f.close();
    }
  });

  it('approves a held pin only same-origin with the CSRF token, and records who approved it', async () => {
    for (let i = 0; i < 1; i++) await client.callTool({ name: 'mail__send_email', arguments: { to: 'a@example.org', body: 'hi' } });
    await waitFor(async () => ((await client.listTools()).tools.some((t) => t.name === 'mail__send_email') ? undefined : true), 10_000, 'send_email withheld');
    const status = (await (await fetch(`${admin}/status`)).json()) as { pins: unknown; upstreams: Array<{ name: string; held: unknown }> };
    expect(status.pins).toEqual({ awaitingApproval: 1, items: [{ upstream: 'mail', kind: 'tool', name: 'send_email' }] });
    expect(status.upstreams.find((u) => u.name === 'mail')?.held).toEqual([{ kind: 'tool', name: 'send_email' }]);
    expect(await (await fetch(`${admin}/console`)).text()).toContain('<a href="/console/pins#pin-mail-tool-send_email">tool send_email</a>');
    const pins = await (await fetch(`${admin}/console/pins`)).text();
    expect(pins).toContain('mail/send_email');
    expect(pins).toMatch(/<pre class="after">[^<]*lookup_contact/);
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(pins)?.[1] ?? '';
    expect(token).not.toBe('');
    const post = (headers: Record<string, string>, csrf?: string) =>
      fetch(`${admin}/console/pins/approve`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ target: 'mail/send_email', kind: 'tool', ...(csrf === undefined ? {} : { csrf }) }).toString() });
    const host = new URL(admin).host;
    expect((await post({}, token)).status, 'no same-origin signal').toBe(403);
    expect((await post({ origin: 'http://evil.example' }, token)).status, 'cross-origin').toBe(403);
    expect((await post({ origin: 'http://localhost:1' }, token)).status, 'another loopback origin').toBe(403);
    expect((await post({ origin: `http://${host}` })).status, 'no token').toBe(403);
    expect((await post({ origin: `http://${host}` }, token.slice(1) + 'A')).status, 'wrong token').toBe(403);
    const approved = await post({ origin: `http://${host}` }, token);
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toMatch(/^\/console\/pins\?done=approved%20mail%2Fsend_email/);
    await waitFor(async () => ((await client.listTools()).tools.some((t) => t.name === 'mail__send_email') ? true : undefined), 10_000, 'send_email released');
    expect(((await (await fetch(`${admin}/status`)).json()) as { pins: unknown }).pins).toEqual({ awaitingApproval: 0, items: [] });
    const audit = gw.app.store.findings.page({ rule: 'pins' }).findings;
    const me = `user:${userInfo().username}`;
    expect(audit.map((f) => [f.rule, f.upstream, f.tool, f.principal, f.reason])).toEqual([['pins/approved', 'mail', 'send_email', me, `tool mail/send_email approved by ${me}`]]);
    expect((await post({ 'sec-fetch-site': 'same-origin' }, token)).status, 'nothing left to approve').toBe(404);
  });
});

/** A gateway bound off loopback with client and admin tokens; `base` is its listener's origin on 127.0.0.1. */
async function remoteConsole(prefix: string) {
  const dir = tempDir(prefix);
  const gw = await startGateway(`
gateway:
  http: { host: 0.0.0.0, port: 0 }
  auth: { tokens: [${CLIENT_TOKEN}], adminTokens: [${ADMIN_TOKEN}] }
  store: ${join(dir, 'watchdog.db')}
upstreams:
  - { name: toy, command: ${NODE}, args: [${TOY}] }
`, { baseDir: dir });
  return { gw, base: gw.url.replace(/\/mcp$/, '').replace('0.0.0.0', '127.0.0.1') };
}

describe('the console on a non-loopback bind', () => {
  it('needs the admin token on every route: 401 without one and with a client token', async () => {
    const { gw, base } = await remoteConsole('console-remote-');
    const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    try {
      for (const path of ['/console', '/console/findings', '/console/pins', '/console/flows']) {
        expect((await get(path)).status, `${path} without a token`).toBe(401);
        expect((await get(path, CLIENT_TOKEN)).status, `${path} with a client token`).toBe(401);
        expect((await get(path, ADMIN_TOKEN)).status, `${path} with the admin token`).toBe(200);
      }
      expect((await get('/console/events')).status).toBe(401);
      const refused = await fetch(`${base}/console/pins/approve`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: 'target=toy/echo' });
      expect(refused.status).toBe(401);
      const stream = await fetch(`${base}/console/events`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(stream.status).toBe(200);
      await stream.body?.cancel();
      expect((await get('/console/assets/console.css')).status, 'the static files hold no data').toBe(200);
      const browser = await fetch(`${base}/console`, { headers: { accept: 'text/html' } });
      expect(browser.status).toBe(401);
      expect(await browser.text()).toContain('<a href="/console/login">sign in</a>');
    } finally {
      await gw.close();
    }
  });

  it('signs a browser in with an admin token: a session cookie without the token, for the console only', async () => {
    const { gw, base } = await remoteConsole('console-login-');
    const host = new URL(base).host;
    const login = (token: string, origin = `http://${host}`) =>
      fetch(`${base}/console/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: new URLSearchParams({ token }).toString() });
    try {
      expect(await (await fetch(`${base}/console/login`)).text()).toContain('name="token"');
      expect((await login(CLIENT_TOKEN)).status, 'a client token').toBe(401);
      expect((await login('nope')).status).toBe(401);
      expect((await login(ADMIN_TOKEN, 'http://localhost:1')).status, 'cross-origin').toBe(403);
      const signedIn = await login(ADMIN_TOKEN);
      expect(signedIn.status).toBe(303);
      const setCookie = signedIn.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^watchdog_console=token:[0-9a-f]{12}\.\d+\.[\w-]+; HttpOnly; SameSite=Strict; Path=\/console; Max-Age=28800$/);
      expect(setCookie).not.toContain(ADMIN_TOKEN);
      const cookie = setCookie.split(';')[0] ?? '';
      const page = await fetch(`${base}/console/pins`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1] ?? '';
      const decide = await fetch(`${base}/console/pins/approve`, { method: 'POST', headers: { cookie, origin: `http://${host}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ target: 'toy/echo', csrf }).toString() });
      expect(decide.status, 'signed in, with the token: only nothing to approve').toBe(404);
      expect((await fetch(`${base}/status`, { headers: { cookie } })).status, 'the cookie opens the console only').toBe(401);
      const tampered = cookie.replace(/token:[0-9a-f]{12}/, 'token:000000000000');
      expect((await fetch(`${base}/console`, { headers: { cookie: tampered } })).status).toBe(401);
    } finally {
      await gw.close();
    }
  });
});
