/**
 * Watching `watchdog.yaml` for hot reload (issue 13). The folder is watched, not the file: editors
 * save by writing a new file and renaming it over the old one (vim, JetBrains, VS Code's atomic
 * save), which ends a watch on the old file's inode; Kubernetes swaps a `..data` symlink in the
 * folder. Events for the file's name (or a `..`-prefixed name) are debounced — one save can raise
 * several events, and a half-written file must not be read — and the callback decides, by content
 * hash, whether anything changed. A folder that cannot be watched (no inotify watches left, a
 * network file system) is reported and SIGHUP remains the way to reload.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface ConfigWatcher {
  close(): void;
}

export interface WatchOptions {
  /** Quiet time after the last event before `onChange` runs; default 250 ms. */
  debounceMs?: number;
  /** Told when the folder cannot be watched. */
  onError?: (err: Error) => void;
  /** Told at once of every event for the file, before the debounce (the sensitive-file watch looks for the writer then, while it may still hold the file). */
  onEvent?: () => void;
}

export function watchConfigFile(path: string, onChange: () => void, options: WatchOptions = {}): ConfigWatcher {
  const name = basename(path);
  const debounceMs = options.debounceMs ?? 250;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let watcher: FSWatcher | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
    timer.unref();
  };
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      const changed = file === null ? undefined : String(file);
      if (changed !== undefined && changed !== name && !changed.startsWith('..')) return;
      if (!closed) options.onEvent?.();
      fire();
    });
    watcher.on('error', (err) => options.onError?.(err));
  } catch (err) {
    options.onError?.(err as Error);
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
