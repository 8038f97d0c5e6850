/**
 * Every live upstream process group of one gateway, and the reaper that ends them if the gateway dies
 * (issue 7, items 7 and 11).
 * Contract:
 * - `add(pgid)` when a stdio upstream is spawned (its own process group), `remove(pgid)` once that group
 *   has been swept with SIGKILL.
 * - `killAll()` is synchronous: it SIGKILLs every registered group, so the CLI can call it on its forced
 *   exit path and in `process.on('exit')`, where nothing asynchronous runs any more.
 * - The reaper covers what no handler in this process can: a SIGKILL, an OOM kill or a crash of the
 *   gateway. It is one POSIX sh process (about 1 MB, not another node), spawned detached in its own
 *   process group and ignoring INT/TERM/HUP, so a Ctrl-C or a signal to the gateway's group does not
 *   take it first. The gateway writes `+<pgid>` / `-<pgid>` lines on its stdin; when stdin reaches EOF
 *   (the gateway's end of the pipe closed, however it died) it SIGKILLs every group still listed and
 *   exits. Node opens its pipes close-on-exec, so no upstream holds the pipe open.
 * - No reaper on Windows (no /bin/sh and no process groups); everything else works the same there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/**
 * The reaper: a registry of groups on stdin; SIGKILL to each of them on EOF. Anything but `+N`/`-N` with
 * N > 1 is ignored (`kill -- -1` would signal every process the user owns, `-0` the reaper's own group).
 */
export const REAPER_SCRIPT = `trap '' INT TERM HUP
groups=' '
while IFS= read -r line; do
  case $line in
    [+-]*[!0-9]*|[+-]|[+-]0*|[+-]1) ;;
    +*) groups="$groups\${line#+} " ;;
    -*) gone=\${line#-}; rest=' '
        for g in $groups; do [ "$g" = "$gone" ] || rest="$rest$g "; done
        groups=$rest ;;
  esac
done
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
`;

export interface ProcessGroupOptions {
  /** Spawn the reaper (default: when /bin/sh exists and the platform is not Windows). */
  reaper?: boolean;
}

export class ProcessGroups {
  private readonly live = new Set<number>();
  private reaper?: ChildProcess;
  private readonly useReaper: boolean;
  private closed = false;

  constructor(
    private readonly log: Logger,
    options: ProcessGroupOptions = {},
  ) {
    this.useReaper = options.reaper ?? (process.platform !== 'win32' && existsSync('/bin/sh'));
  }

  get size(): number {
    return this.live.size;
  }

  /** The reaper's pid while it runs (tests and status). */
  get reaperPid(): number | undefined {
    return this.reaper?.exitCode === null ? this.reaper.pid : undefined;
  }

  add(pgid: number): void {
    if (!Number.isInteger(pgid) || pgid <= 1) return;
    this.live.add(pgid);
    this.tell(`+${pgid}`);
  }

  remove(pgid: number): void {
    if (!this.live.delete(pgid)) return;
    this.tell(`-${pgid}`);
  }

  /** SIGKILL to every registered group, synchronously. Safe to call at any time, any number of times. */
  killAll(): void {
    for (const pgid of this.live) killGroup(pgid, 'SIGKILL');
    for (const pgid of [...this.live]) this.remove(pgid);
  }

  /** Kills what is left and lets the reaper exit (its stdin ends). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.killAll();
    this.closed = true;
    this.reaper?.stdin?.end();
    this.reaper = undefined;
  }

  private tell(line: string): void {
    if (!this.useReaper || this.closed) return;
    if (!this.reaper) {
      if (line.startsWith('+')) this.startReaper(); // lists every live group itself
    } else if (this.reaper.stdin?.writable) this.reaper.stdin.write(`${line}\n`);
  }

  private startReaper(): void {
    let reaper: ChildProcess;
    try {
      reaper = spawn('/bin/sh', ['-c', REAPER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    } catch (err) {
      this.log.warn({ err: String(err) }, 'could not start the upstream reaper; upstreams may outlive a killed gateway');
      return;
    }
    this.reaper = reaper;
    // Neither the reaper nor its pipe keeps the gateway's event loop alive.
    reaper.unref();
    (reaper.stdin as Socket | null)?.unref();
    reaper.on('error', (err) => this.reaperLost(reaper, String(err)));
    reaper.stdin?.on('error', (err) => this.reaperLost(reaper, String(err)));
    reaper.once('exit', (code, signal) => this.reaperLost(reaper, `exited (code ${code}, signal ${signal})`));
    // Groups registered before a restart of the reaper are listed again.
    for (const pgid of this.live) reaper.stdin?.write(`+${pgid}\n`);
  }

  private reaperLost(reaper: ChildProcess, reason: string): void {
    if (this.reaper !== reaper) return;
    this.reaper = undefined;
    if (!this.closed) this.log.warn({ reason }, 'upstream reaper ended; it is started again with the next upstream');
  }
}

/** Signals a whole process group; ids 0 and 1 are refused (they would mean "my own group" and "everyone"). */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}
