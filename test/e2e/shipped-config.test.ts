/**
 * Issue 7, item 17: the repository's own `watchdog.yaml`, run exactly as `npm start` runs it — the built
 * CLI's `run` in the repository folder, the config found as ./watchdog.yaml — works for a newcomer: a
 * memory entity is created and read back (and its file is the repository's .watchdog/memory.jsonl, not
 * a folder inside node_modules), a sandbox file is read, and echo answers. The only difference from
 * `npm start` is WATCHDOG_PORT=0 (the file reads `${WATCHDOG_PORT:-8765}`), so the test never collides
 * with a gateway already on 8765.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { connectHttp, ROOT, textOf, waitFor } from '../helpers/gateway.js';

const MEMORY_FILE = join(ROOT, '.watchdog', 'memory.jsonl');
const INSIDE_PACKAGE = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/.watchdog');

describe('the shipped watchdog.yaml', () => {
  it('serves memory, the sandbox and echo as `npm start` runs it', async () => {
    const run = runCli(['run'], { WATCHDOG_PORT: '0', WATCHDOG_CONFIG: '' }, ROOT);
    try {
      const url = await waitFor(() => /"url":"([^"]+)"/.exec(run.stderr())?.[1], 20_000, 'the listening line');
      const client = await connectHttp(url);
      try {
        await waitFor(async () => {
          const names = (await client.listTools()).tools.map((t) => t.name);
          return ['memory__create_entities', 'fs__read_text_file', 'everything__echo'].every((n) => names.includes(n)) ? true : undefined;
        }, 20_000, 'all three upstreams');

        const entity = `watchdog-test-${randomBytes(4).toString('hex')}`;
        await client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: entity, entityType: 'test', observations: ['created by the shipped-config test'] }] } });
        const opened = textOf(await client.callTool({ name: 'memory__open_nodes', arguments: { names: [entity] } }));
        expect(opened).toContain('created by the shipped-config test');
        expect(readFileSync(MEMORY_FILE, 'utf8')).toContain(entity);
        expect(existsSync(INSIDE_PACKAGE)).toBe(false);
        await client.callTool({ name: 'memory__delete_entities', arguments: { entityNames: [entity] } });

        const readme = textOf(await client.callTool({ name: 'fs__read_text_file', arguments: { path: join(ROOT, 'sandbox', 'README.md') } }));
        expect(readme).toContain('# sandbox');
        expect(textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'hello' } }))).toContain('hello');
      } finally {
        await client.close();
      }
    } finally {
      run.child.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
  }, 60_000);
});
