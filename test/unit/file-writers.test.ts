/**
 * The /proc writer scan (issue 11, src/file-writers.ts) with real child processes: one that keeps the
 * file open for writing is named with its pid and command; one that only reads it is not; once the
 * writer has closed it nobody is named and the reason says so. Without /proc, and past the time budget,
 * the scan says why it named nobody.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWriters, findFileWriters } from '../../src/file-writers.js';
import { NODE, tempDir } from '../helpers/gateway.js';

/** A node child that opens `path` with `flag`, writes when it may, says "open" on stdout, and keeps it open until killed. */
async function holder(path: string, flag: 'a' | 'r'): Promise<ChildProcess> {
  const script = `const fs = require('node:fs'); const fd = fs.openSync(${JSON.stringify(path)}, '${flag}'); if ('${flag}' === 'a') fs.writeSync(fd, 'written\\n'); process.stdout.write('open\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(NODE, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('open') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return child;
}

describe.runIf(process.platform === 'linux')('findFileWriters on Linux', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('names a child process that holds the file open for writing, and nobody once it has gone', async () => {
    const file = join(tempDir('writers-'), 'settings.json');
    writeFileSync(file, '{}');
    const child = await holder(file, 'a');
    children.push(child);
    const scan = findFileWriters(file, { budgetMs: 2000 });
    expect(scan.found).toEqual([{ pid: child.pid, comm: 'node', mode: 'write' }]);
    expect(describeWriters(scan)).toBe(`written by pid ${child.pid} (node)`);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const after = findFileWriters(file, { budgetMs: 2000 });
    expect(after).toEqual({ found: [], why: 'closed' });
    expect(describeWriters(after)).toBe('writer not identified: the file was closed before it was seen');
  });

  it('does not name a process that only reads the file', async () => {
    const file = join(tempDir('writers-'), '.bashrc');
    writeFileSync(file, 'export A=1\n');
    children.push(await holder(file, 'r'));
    expect(findFileWriters(file, { budgetMs: 2000 })).toEqual({ found: [], why: 'closed' });
  });

  it('stops at its time budget and says so', async () => {
    const file = join(tempDir('writers-'), 'config.json');
    writeFileSync(file, '{}');
    let t = 0;
    const scan = findFileWriters(file, { budgetMs: 5, now: () => (t += 10) });
    expect(scan).toEqual({ found: [], why: 'budget', budgetMs: 5 });
    expect(describeWriters(scan)).toBe('writer not identified: the scan of /proc ran out of its 5 ms budget');
  });
});

describe('findFileWriters without /proc', () => {
  it('returns at once and says why nobody was named', () => {
    const scan = findFileWriters('/etc/hostname', { procRoot: join(tempDir('no-proc-'), 'proc') });
    expect(scan).toEqual({ found: [], why: 'no-proc' });
    expect(describeWriters(scan)).toBe('writer not identified: no /proc on this system');
  });
});
