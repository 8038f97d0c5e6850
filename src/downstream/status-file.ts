/**
 * `watchdog status` support: every running gateway process writes its status document (the same one
 * `/status` answers, config/status-schema.ts) plus `updatedAt` to `<store folder>/status/<pid>.json`, refreshed
 * every few seconds and removed on close. The files let `watchdog status` see stdio gateways (spawned
 * by assistants, with no listener) as well as the HTTP daemon; a file whose process is gone is
 * ignored and cleaned up.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where running gateways publish their status for `watchdog status`: beside the store. */
export function statusFolder(storePath: string): string {
  return join(dirname(storePath), 'status');
}

export interface StatusSource {
  snapshot(): Record<string, unknown>;
}

export interface StatusWriter {
  close(): void;
}

const INTERVAL_MS = 2000;

export function writeStatusFiles(folder: string, source: StatusSource): StatusWriter {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${process.pid}.json`);
  const write = () => {
    try {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...source.snapshot(), updatedAt: new Date().toISOString() }, null, 2));
      renameSync(tmp, file);
    } catch {
      // Status is best effort; the gateway keeps serving.
    }
  };
  write();
  const timer = setInterval(write, INTERVAL_MS);
  timer.unref();
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      rmSync(file, { force: true });
    },
  };
}

/** Snapshots of the gateway processes that are alive, oldest first. */
export function readStatusFiles(folder: string): Array<Record<string, unknown>> {
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const alive: Array<Record<string, unknown>> = [];
  for (const name of names) {
    const pid = Number(name.slice(0, -5));
    if (!isAlive(pid)) {
      rmSync(join(folder, name), { force: true });
      continue;
    }
    try {
      alive.push(JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>);
    } catch {
      // A file being replaced right now; the next call sees it.
    }
  }
  return alive.sort((a, b) => String(a.startedAt).localeCompare(String(b.startedAt)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
