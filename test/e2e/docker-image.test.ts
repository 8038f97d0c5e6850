/**
 * The Docker deployment (issue 13), tested without a Docker engine (none runs here).
 * Statically: the Dockerfile's base image is a pinned Node LTS release, the runtime user is not root,
 * /data is a volume, the HEALTHCHECK runs a script that reads the configured port, COPY sources exist,
 * and compose.yaml mounts the team config read-only with tokens from an env file.
 * Dynamically: the image's exact ENTRYPOINT + CMD (paths mapped from the image to this checkout, ENV as
 * the Dockerfile sets it, a temp folder as /data) refuses to start without tokens, serves several
 * developers' tokens, accepts any Host name unless WATCHDOG_ALLOWED_HOSTS lists them, and the
 * healthcheck script asks /readyz on WATCHDOG_PORT — of a stub, and of the real gateway with and
 * without admin tokens (issue 13).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.js';
import { ROOT, tempDir, waitFor, freePort } from '../helpers/gateway.js';

const DOCKERFILE = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
const lines = DOCKERFILE.replace(/\\\n\s*/g, ' ').split('\n');
const runtime = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));
const instruction = (name: string) => runtime.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
const jsonInstruction = (name: string) => JSON.parse(instruction(name).at(-1) as string) as string[];

/** ENV of the runtime stage: `ENV A=1 B=2`. */
const IMAGE_ENV = Object.fromEntries(instruction('ENV').flatMap((l) => [...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string])));

/** A path inside the image → the file in this checkout it was copied from (single-file COPYs, then /app). */
function hostPath(imagePath: string): string {
  for (const copy of instruction('COPY').filter((c) => !c.startsWith('--from'))) {
    const [source, dest] = copy.split(/\s+/) as [string, string];
    if (dest === imagePath) return join(ROOT, source);
  }
  if (imagePath.startsWith('/app/')) return join(ROOT, imagePath.slice('/app/'.length));
  throw new Error(`no checkout file for ${imagePath}`);
}

const TOKENS = { alice: 'alice-token-0123456789abcdef', bob: 'bob-token-0123456789abcdef0' };
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });


/** Runs the image's ENTRYPOINT + CMD as the image would, with /data a temp folder. */
function runImage(env: Record<string, string>, args?: string[]) {
  const [entrypoint, ...entryArgs] = jsonInstruction('ENTRYPOINT') as [string, ...string[]];
  const command = [...entryArgs, ...(args ?? jsonInstruction('CMD'))];
  const fullEnv = { ...(process.env as Record<string, string>), ...IMAGE_ENV, WATCHDOG_CONFIG: hostPath(IMAGE_ENV.WATCHDOG_CONFIG as string), WATCHDOG_DATA: tempDir('watchdog-data-'), ...env };
  const child = spawn(hostPath(entrypoint), command, { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** Runs the image's HEALTHCHECK command with the image's ENV plus `env`. */
async function healthcheck(env: Record<string, string>): Promise<{ status: number | null; stdout: string }> {
  const health = instruction('HEALTHCHECK').at(-1) as string;
  const [node, script] = JSON.parse(health.slice(health.indexOf('CMD ') + 4)) as [string, string];
  const child = spawn(node === 'node' ? process.execPath : node, [hostPath(script)], { env: { ...(process.env as Record<string, string>), ...IMAGE_ENV, ...env } });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { status, stdout };
}

/** POSTs initialize with node:http, which (unlike fetch) sends the Host header it is given. */
function post(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', reject);
    req.end(INIT);
  });
}

describe('Dockerfile (static)', () => {
  it('builds on a pinned Node LTS release, runs as a non-root user, with /data as a volume', () => {
    const bases = lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/)[1] as string);
    expect(bases.length).toBe(2);
    for (const base of bases) {
      const [, major] = /^node:(\d+)\.\d+\.\d+-bookworm-slim$/.exec(base) ?? [];
      expect(major, `${base} is an exact node release tag`).toBeDefined();
      expect(Number(major) >= 22 && Number(major) % 2 === 0, `${base} is an LTS line newer than 20`).toBe(true);
    }
    const user = instruction('USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(instruction('VOLUME')).toEqual(['["/data"]']);
    expect(IMAGE_ENV.WATCHDOG_DATA).toBe('/data');
  });

  it('has COPY sources that exist and an executable entrypoint', () => {
    const sources = lines.filter((l) => l.startsWith('COPY ') && !l.startsWith('COPY --from')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true);
    const entrypoint = hostPath(jsonInstruction('ENTRYPOINT')[0] as string);
    expect(spawnSync('test', ['-x', entrypoint]).status, 'entrypoint is executable in git').toBe(0);
    expect(readFileSync(entrypoint, 'utf8')).toMatch(/^#!\/bin\/sh\n/);
  });

  it('checks health on /readyz of the configured port', () => {
    const health = instruction('HEALTHCHECK').at(-1) as string;
    const command = JSON.parse(health.slice(health.indexOf('CMD ') + 4)) as string[];
    expect(command[0]).toBe('node');
    const script = readFileSync(hostPath(command[1] as string), 'utf8');
    expect(script).toContain('env.WATCHDOG_PORT');
    expect(script).toContain('/readyz');
    expect(instruction('EXPOSE')).toEqual([IMAGE_ENV.WATCHDOG_PORT]);
    expect(readFileSync(hostPath(IMAGE_ENV.WATCHDOG_CONFIG as string), 'utf8')).toMatch(/port: \$\{WATCHDOG_PORT:-8765\}/);
  });
});

describe('compose and the team config (static)', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8')) as { services: Record<string, { volumes?: string[]; env_file?: string; ports?: string[] }> };
  const envExample = readFileSync(join(ROOT, 'docker/.env.example'), 'utf8');

  it('runs the gateway with the config mounted read-only, tokens from an env file, /data as a volume, and an example upstream', () => {
    const gateway = compose.services.watchdog!;
    expect(gateway.volumes).toContain(`./team.watchdog.yaml:${IMAGE_ENV.WATCHDOG_CONFIG}:ro`);
    expect(gateway.volumes!.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(gateway.env_file).toBe('.env');
    expect(Object.keys(compose.services).length).toBeGreaterThan(1);
    expect(envExample).toMatch(/^WATCHDOG_TOKENS=$/m);
    expect(envExample).toMatch(/^WATCHDOG_ALLOWED_HOSTS=$/m);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^docker\/\.env$/m);
  });

  it('has a replicas profile: two gateways on the replicas config, each with its own /data, sharing a password-protected Valkey (issue 16)', () => {
    const services = compose.services as Record<string, { profiles?: string[]; volumes?: string[]; image?: string; depends_on?: Record<string, unknown>; command?: string[]; environment?: Record<string, string> }>;
    const replicas = Object.entries(services).filter(([, s]) => s.profiles?.includes('replicas')).map(([name]) => name).sort();
    expect(replicas).toEqual(['valkey', 'watchdog-a', 'watchdog-b']);
    expect(services.valkey?.image).toMatch(/^valkey\/valkey:\d+\.\d+\.\d+$/);
    expect(services.valkey?.command?.join(' ')).toContain('--requirepass "$$VALKEY_PASSWORD"');
    const data = ['watchdog-a', 'watchdog-b'].map((name) => {
      const s = services[name]!;
      expect(s.volumes).toContain(`./replicas.watchdog.yaml:${IMAGE_ENV.WATCHDOG_CONFIG}:ro`);
      expect(Object.keys(s.depends_on ?? {})).toContain('valkey');
      return s.volumes!.find((v) => v.endsWith(':/data'));
    });
    expect(new Set(data).size).toBe(2);
    const { config } = parseConfig(readFileSync(join(ROOT, 'docker/replicas.watchdog.yaml'), 'utf8'), {
      file: 'replicas.watchdog.yaml',
      baseDir: ROOT,
      env: { WATCHDOG_TOKENS: TOKENS.alice, VALKEY_PASSWORD: 'from-the-env-file-0123' },
    });
    expect(config.gateway.store).toBe('redis://valkey:6379/0');
    expect(config.gateway.redis).toMatchObject({ password: 'from-the-env-file-0123', localStore: '/data/watchdog.db' });
  });

  it.each(['docker/team.watchdog.yaml', 'docker/watchdog.yaml', 'docker/replicas.watchdog.yaml'])('%s is a valid config whose variables are all documented or defaulted', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const required = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string);
    for (const name of required) expect(envExample, `${name} in .env.example`).toMatch(new RegExp(`^${name}=`, 'm'));
    const { config } = parseConfig(text, { file, baseDir: ROOT, env: { WATCHDOG_TOKENS: `${TOKENS.alice},${TOKENS.bob}`, WATCHDOG_ALLOWED_HOSTS: 'gw.team.test', VALKEY_PASSWORD: 'valkey-pw-0123456789' } });
    expect(config.gateway.auth.tokens).toEqual([TOKENS.alice, TOKENS.bob]);
    expect(config.gateway.http.allowedHosts).toEqual(['gw.team.test']);
    expect(config.gateway.http.host).toBe('0.0.0.0');
  });
});

describe('entrypoint and CMD (run outside Docker)', () => {
  let extra: Server | undefined;
  afterEach(() => extra?.close());

  it('refuses to start without a token, saying what to set, before the gateway starts', async () => {
    const run = runImage({ WATCHDOG_TOKENS: '', WATCHDOG_TOKEN: '' });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/^mcp-watchdog entrypoint: no token set: the gateway listens on 0\.0\.0\.0:8765.*Set WATCHDOG_TOKENS/);
    expect(run.stderr()).not.toContain('"level"');
  });

  it("serves each developer's token, and any Host name when WATCHDOG_ALLOWED_HOSTS is empty", async () => {
    const port = await freePort();
    const run = runImage({ WATCHDOG_TOKENS: `${TOKENS.alice}, ${TOKENS.bob}`, WATCHDOG_PORT: String(port) });
    try {
      await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 20_000, 'the ready line');
      expect(run.stderr()).toContain(`ready on http://127.0.0.1:${port}/mcp`);
      expect(await post(port, {})).toBe(401);
      expect(await post(port, { authorization: 'Bearer not-a-team-token-000000' })).toBe(401);
      expect(await post(port, { authorization: `Bearer ${TOKENS.alice}` })).toBe(200);
      expect(await post(port, { authorization: `Bearer ${TOKENS.bob}`, host: `gateway.team.test:${port}` })).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });

  it('accepts only the listed Host names when WATCHDOG_ALLOWED_HOSTS is set, and WATCHDOG_TOKEN alone', async () => {
    const port = await freePort();
    const run = runImage({ WATCHDOG_TOKEN: TOKENS.alice, WATCHDOG_TOKENS: '', WATCHDOG_ALLOWED_HOSTS: 'gw.team.test,10.1.2.3', WATCHDOG_PORT: String(port) });
    try {
      await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 20_000, 'the ready line');
      const auth = { authorization: `Bearer ${TOKENS.alice}` };
      expect(run.stderr()).toContain(`ready on http://gw.team.test:${port}/mcp`);
      expect(await post(port, { ...auth, host: `gw.team.test:${port}` })).toBe(200);
      expect(await post(port, { ...auth, host: `10.1.2.3:${port}` })).toBe(200);
      expect(await post(port, { ...auth, host: `evil.example:${port}` })).toBe(403);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });

  it('healthcheck against the real gateway: /readyz with the admin token from the environment, 401 without it', async () => {
    const port = await freePort();
    const admin = 'admin-token-0123456789abcdef0';
    const env = { WATCHDOG_TOKENS: TOKENS.alice, WATCHDOG_ADMIN_TOKENS: admin, WATCHDOG_PORT: String(port) };
    const run = runImage(env);
    try {
      await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 20_000, 'the ready line');
      const healthy = await healthcheck(env);
      expect(healthy.status, healthy.stdout).toBe(0);
      expect(healthy.stdout).toBe(`http://127.0.0.1:${port}/readyz: 200\n`);
      const refused = await healthcheck({ WATCHDOG_PORT: String(port), WATCHDOG_ADMIN_TOKENS: '' });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain(': 401');
      expect(healthy.stdout + refused.stdout + run.stderr()).not.toContain(admin);
      // A developer's token does not open the admin API; the admin token does.
      const status = (token: string) => fetch(`http://127.0.0.1:${port}/status`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      expect(await status(TOKENS.alice)).toBe(401);
      expect(await status(admin)).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });

  it('healthcheck without admin tokens: /readyz still answers (without details)', async () => {
    const port = await freePort();
    const run = runImage({ WATCHDOG_TOKENS: TOKENS.alice, WATCHDOG_PORT: String(port) });
    try {
      await waitFor(() => (run.stderr().includes('ready on') ? true : undefined), 20_000, 'the ready line');
      const result = await healthcheck({ WATCHDOG_PORT: String(port) });
      expect(result.status, result.stdout).toBe(0);
      expect(await fetch(`http://127.0.0.1:${port}/status`, { headers: { authorization: `Bearer ${TOKENS.alice}` } }).then((r) => r.status)).toBe(403);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });

  it('runs other commands as given (for debugging the image)', async () => {
    const run = runImage({}, ['echo', 'inside the image']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('inside the image\n');
  });

  it('healthcheck: healthy only when /readyz on WATCHDOG_PORT answers 200', async () => {
    const health = instruction('HEALTHCHECK').at(-1) as string;
    const [node, script] = JSON.parse(health.slice(health.indexOf('CMD ') + 4)) as [string, string];
    // Asynchronously: the test's own HTTP server must keep answering while the script runs.
    const check = async (port: number) => {
      const child = spawn(node === 'node' ? process.execPath : node, [hostPath(script)], { env: { ...process.env, ...IMAGE_ENV, WATCHDOG_PORT: String(port) } });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { status, stdout };
    };
    let status = 200;
    let path = '';
    extra = createHttpServer((req, res) => {
      path = req.url ?? '';
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => extra!.listen(0, '127.0.0.1', resolve));
    const port = (extra.address() as { port: number }).port;
    expect((await check(port)).status).toBe(0);
    expect(path).toBe('/readyz');
    status = 503;
    const unhealthy = await check(port);
    expect(unhealthy.status).toBe(1);
    expect(unhealthy.stdout).toContain(`http://127.0.0.1:${port}/readyz: 503`);
    extra.close();
    extra = undefined;
    const down = await check(port);
    expect(down.status).toBe(1);
    expect(down.stdout).toContain('ECONNREFUSED');
  });
});
