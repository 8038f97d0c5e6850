/**
 * Issue 7, item 18: `mcp-watchdog stdio -- <cmd>` spawned from a folder the user cannot write (how
 * desktop assistants spawn servers, often from `/`) serves normally, and its store lands in the user's
 * state folder ($XDG_STATE_HOME/mcp-watchdog here), never in the working directory. Run as a user who
 * cannot write the folder: as `nobody` when the tests run as root (root writes anywhere).
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { NODE, tempDir, TOY } from '../helpers/gateway.js';

const NOBODY = 65534;

describe('stdio -- <command> from a non-writable working directory', () => {
  it('serves, and keeps its store in the state folder', async () => {
    const dir = tempDir();
    const cwd = join(dir, 'read-only');
    const state = join(dir, 'state');
    mkdirSync(cwd);
    mkdirSync(state);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(state, NOBODY, NOBODY);
    chmodSync(cwd, 0o555);
    chmodSync(dir, 0o755);

    const child = spawn(NODE, [CLI, 'stdio', '--', NODE, TOY], {
      cwd,
      env: { ...process.env, XDG_STATE_HOME: state },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(asRoot && { uid: NOBODY, gid: NOBODY }),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const replies = new Map<number, Record<string, unknown>>();
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      for (let cut = buffer.indexOf('\n'); cut >= 0; cut = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, cut)) as { id?: number };
        buffer = buffer.slice(cut + 1);
        if (typeof message.id === 'number') replies.set(message.id, message);
      }
    });
    const send = (message: Record<string, unknown>) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    const reply = async (id: number) => {
      for (let waited = 0; !replies.has(id); waited += 50) {
        if (waited > 15_000) throw new Error(`no reply ${id}; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return replies.get(id)!;
    };

    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'assistant', version: '1' } } });
    expect(await reply(1)).toHaveProperty('result');
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'from /' } } });
    expect(await reply(2)).toMatchObject({ result: { content: [{ type: 'text', text: 'toy:from /' }] } });
    child.stdin.end();
    expect(await exited).toBe(0);

    expect(stderr).not.toMatch(/EACCES/);
    expect(existsSync(join(state, 'mcp-watchdog', 'watchdog.db'))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  }, 30_000);
});
