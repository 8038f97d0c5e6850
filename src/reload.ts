/**
 * Hot reload of `watchdog.yaml` (issue 13), for the composition root: re-read and validate the file,
 * compare it with the running config (config/diff.ts), and hand the difference to `apply` (the root
 * wires it to the gateway). An invalid file is logged with every problem and changes nothing — the
 * running config stays. A file whose text is unchanged (an editor touching it, a second event of one
 * save) is not applied again. Settings that only a restart applies are named in a warning. Reloads run
 * one at a time, in the order they were asked for. Token values never reach the log: only counts.
 */
import type { Logger } from 'pino';
import { ConfigError, diffConfig, loadConfig, type Config, type ConfigDiff, type StatusDocument } from './config/index.js';
import { checkConfigPolicy } from './inspection.js';

export interface ReloadOutcome {
  ok: boolean;
  /** Whether the running config changed. */
  changed: boolean;
  message: string;
  diff?: ConfigDiff;
}

export interface ReloaderOptions {
  log: Logger;
  config: Config;
  /** The config file; without one (`stdio -- <command>`) there is nothing to reload. */
  path?: string;
  hash?: string;
  apply(next: Config, diff: ConfigDiff): Promise<void>;
  /** `gateway.watchConfig` changed. */
  watchChanged(watch: boolean): void;
  /** A new config was applied (its digest is in `info()`). */
  reloaded?(): void;
}

export class Reloader {
  private current: Config;
  private hash?: string;
  private loadedAt = Date.now();
  private last?: NonNullable<StatusDocument['config']['lastReload']>;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: ReloaderOptions) {
    this.current = options.config;
    this.hash = options.hash;
  }

  /** The config in force. */
  get config(): Config {
    return this.current;
  }

  /** For `/status`: which file, which version of it, and how the last reload went. */
  info(): StatusDocument['config'] {
    return {
      ...(this.options.path === undefined ? {} : { path: this.options.path }),
      ...(this.hash === undefined ? {} : { hash: this.hash }),
      loadedAt: new Date(this.loadedAt).toISOString(),
      ...(this.last === undefined ? {} : { lastReload: this.last }),
    };
  }

  reload(trigger: string): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.run(trigger));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for a reload in progress; later ones do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private async run(trigger: string): Promise<ReloadOutcome> {
    const { log, path } = this.options;
    if (this.closed) return { ok: false, changed: false, message: 'closing' };
    if (path === undefined) {
      log.warn({ trigger }, 'nothing to reload: the server was given on the command line, not in a config file');
      return this.done(trigger, { ok: false, changed: false, message: 'no config file to reload (the server was given on the command line)' });
    }
    let loaded;
    try {
      loaded = loadConfig(path, { checks: [checkConfigPolicy] });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      log.error({ trigger, file: path, problems: err.message.split('\n') }, 'config reload rejected: the file is invalid; the running config stays');
      return this.done(trigger, { ok: false, changed: false, message: `invalid: ${err.message.split('\n')[0] ?? ''}` });
    }
    for (const w of loaded.warnings) log.warn({ file: path, line: w.line, path: w.path }, `config warning: ${w.message}`);
    if (loaded.hash === this.hash) {
      log.debug({ trigger }, 'config file unchanged');
      return this.done(trigger, { ok: true, changed: false, message: 'unchanged' }, false);
    }
    const diff = diffConfig(this.current, loaded.config);
    try {
      await this.options.apply(loaded.config, diff);
    } catch (err) {
      log.error({ trigger, err: err instanceof Error ? err.message : String(err) }, 'config reload failed while applying it');
      return this.done(trigger, { ok: false, changed: true, message: 'failed while applying; see the log' });
    }
    this.current = loaded.config;
    this.hash = loaded.hash;
    this.loadedAt = Date.now();
    if (diff.watchConfig) this.options.watchChanged(loaded.config.gateway.watchConfig);
    this.options.reloaded?.();
    if (diff.needsRestart.length > 0) {
      log.warn({ settings: diff.needsRestart }, `config changed ${diff.needsRestart.join(', ')}: restart the gateway to apply; the running values stay until then`);
    }
    const { added, removed, changed } = diff.upstreams;
    log.info({ trigger, hash: loaded.hash, added, removed, changed, policy: diff.policy, flows: diff.flows, guards: diff.guards, naming: diff.naming, tokens: diff.tokens }, 'config reloaded');
    const summary = [added.length && `added ${added.join(', ')}`, removed.length && `removed ${removed.join(', ')}`, changed.length && `restarted ${changed.join(', ')}`, diff.policy && 'policy', diff.flows && 'flows', diff.guards && 'guards', diff.naming && 'naming', diff.tokens && 'tokens'].filter(Boolean);
    return this.done(trigger, { ok: true, changed: diff.any, message: summary.length > 0 ? `applied: ${summary.join('; ')}` : 'applied', diff });
  }

  private done(trigger: string, outcome: ReloadOutcome, remember = true): ReloadOutcome {
    if (remember || this.last === undefined) this.last = { at: new Date().toISOString(), ok: outcome.ok, trigger, message: outcome.message };
    return outcome;
  }
}
