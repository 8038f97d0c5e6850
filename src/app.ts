/**
 * The composition root: builds logger-bound pieces — store, detection pipeline, audited inspector,
 * gateway (with its upstreams) and the front doors — from a validated config. Everything else receives
 * its collaborators from here; nothing is a singleton.
 */
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config, ConfigIssue } from './config/index.js';
import { detectors, redactSecrets } from './detectors/index.js';
import { serveHttp, serveStdio, writeStatusFiles, type HttpFrontDoor, type StdioFrontDoor } from './downstream/index.js';
import { createAuditedInspector, createScreen, Gateway, type GatewayOptions } from './gateway/index.js';
import { checkPolicy, createPipeline } from './pipeline/index.js';
import { openWatchdogStore, type WatchdogStore } from './store/index.js';
import { ProcessGroups } from './upstream/index.js';

export interface AppDeps {
  log: Logger;
  backoff?: GatewayOptions['backoff'];
  /** Store location override (tests); default `config.gateway.store`. */
  storePath?: string;
  /** Shown by `watchdog status`. */
  configPath?: string;
}

/**
 * The config check that needs the detectors (issue 12): policy keys whose action the named rules cannot
 * carry (`redact` without a replacement, `strip` without spans) and keys naming no detector. The CLI
 * passes it to `loadConfig` so such keys are load-time errors or warnings with their YAML line.
 */
export function checkConfigPolicy(config: Config): readonly ConfigIssue[] {
  return checkPolicy(config.policy, detectors);
}

/** Where running gateways publish their status for `watchdog status`: beside the store. */
export function statusFolder(storePath: string): string {
  return join(dirname(storePath), 'status');
}

export interface App {
  gateway: Gateway;
  store: WatchdogStore;
  /** Starts upstreams and the HTTP front door; resolves once listening. */
  serveHttp(): Promise<HttpFrontDoor>;
  /** Starts upstreams and serves one client on the given streams. */
  serveStdio(input: Readable, output: Writable): Promise<StdioFrontDoor>;
  /** SIGKILLs every upstream process group now, synchronously (the CLI's forced-exit and exit paths). */
  killAllGroups(): void;
  close(): Promise<void>;
}

export function createApp(config: Config, deps: AppDeps): App {
  const { log } = deps;
  const { retention } = config.gateway;
  const store = openWatchdogStore(deps.storePath ?? config.gateway.store, { findings: { maxRows: retention.maxRows, maxAgeDays: retention.maxAgeDays } });
  const pipeline = createPipeline({ policy: config.policy, detectors });
  const inspector = createAuditedInspector({ pipeline, findings: store.findings, log });
  const groups = new ProcessGroups(log);
  const gateway = new Gateway({ config, log, backoff: deps.backoff, inspector, screen: createScreen(inspector), upstream: { groups, redact: redactSecrets } });
  const closers: Array<() => Promise<void>> = [];
  let closed = false;
  const publishStatus = (mode: string, url?: string) => {
    const base = { mode, url, config: deps.configPath, startedAt: new Date().toISOString() };
    const writer = writeStatusFiles(statusFolder(deps.storePath ?? config.gateway.store), base, {
      snapshot: () => ({ ...gateway.snapshot(), findings: store.findings.counts() }),
    });
    closers.push(async () => writer.close());
  };

  return {
    gateway,
    store,
    async serveHttp() {
      await gateway.start();
      const door = await serveHttp({ gateway, config: config.gateway, log, sessionEvents: store.events });
      closers.push(() => door.close());
      publishStatus('http', door.url);
      return door;
    },
    async serveStdio(input, output) {
      // Upstreams first: an assistant's first tools/list should see them (late ones arrive with list_changed).
      await gateway.start();
      const door = await serveStdio(gateway, input, output, config.gateway.maxBodyBytes);
      closers.push(() => door.close());
      publishStatus('stdio');
      return door;
    },
    killAllGroups: () => groups.killAll(),
    /** Front doors and the gateway (sessions and upstreams in parallel) close together; then any group left is swept. */
    async close() {
      if (closed) return;
      closed = true;
      const doors = async () => {
        for (const close of closers.reverse()) await close().catch((err: unknown) => log.warn({ err: String(err) }, 'close step failed'));
      };
      try {
        await Promise.allSettled([doors(), gateway.close()]);
      } finally {
        groups.close();
        store.close();
      }
    },
  };
}
