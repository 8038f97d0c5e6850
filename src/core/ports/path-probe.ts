/**
 * Port: what a detector may ask the file system about a path (filesystem scope, issue 11): where it
 * really leads (symlinks followed), what `~` stands for, and whether names are case-folded. Answering
 * never reads or writes a file's content, and a path that cannot be resolved (absent, unreadable, a
 * NUL byte) is `undefined`, never an exception. The root hands in `nodePathProbe()`; tests may hand in
 * a fake or a probe with a temporary home.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';

export interface PathProbe {
  /** The home folder `~` stands for. */
  readonly home: string;
  /** Whether the file system folds case (the macOS and Windows defaults), so `.SSH` is `.ssh`. */
  readonly caseInsensitive: boolean;
  /** The canonical path with every symlink followed, or undefined when it does not exist or cannot be read. */
  realpath(path: string): string | undefined;
}

export interface NodePathProbeOptions {
  /** Default `os.homedir()`. */
  home?: string;
  /** Default: true on macOS and Windows. */
  caseInsensitive?: boolean;
}

export function nodePathProbe(options: NodePathProbeOptions = {}): PathProbe {
  return {
    home: options.home ?? homedir(),
    caseInsensitive: options.caseInsensitive ?? (process.platform === 'darwin' || process.platform === 'win32'),
    realpath(path) {
      try {
        return realpathSync.native(path);
      } catch {
        return undefined;
      }
    },
  };
}
