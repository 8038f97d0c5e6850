#!/usr/bin/env node
/**
 * `watchdog` / `mcp-watchdog`: the command line. `run` serves HTTP as a daemon; `stdio` serves one
 * assistant on stdin/stdout (also the default when stdin is not a terminal, so the one-line client
 * config `{"command": "mcp-watchdog"}` works); `stdio -- <command…>` wraps a single server with no
 * config file. Config errors print the file, line and path and exit 2; nothing starts. Every command
 * is parsed by the one parser (args.ts) from the table in commands-spec.ts: unknown flags exit 2, and
 * `--help`/`--version` print on stdout. `run` probes its listen address before any upstream starts.
 */
import type { App } from '../app.js';
import { PRODUCT_VERSION } from '../core/index.js';
import type { Config } from '../config/index.js';
import { createLogger } from '../logger.js';
import { commandHelp, overallHelp, parseCommandLine, stringOption, flagSet, UsageError, type CommandLine, type ParsedArgs } from './args.js';
import { clientUrl, httpClientConfig, stdioClientConfig } from './client-snippets.js';
import { COMMANDS, HELP_FOOTER } from './commands-spec.js';
import { loadCliConfig } from './load-config.js';
import { cliLogger, isLogLevel, LOG_LEVELS } from './logging.js';
import { listenMessage, listenProblem } from './port-check.js';

const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
const VERSION = PRODUCT_VERSION;

async function main(argv: string[]): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, COMMANDS, process.stdin.isTTY ? undefined : 'stdio');
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message, err.command);
    throw err;
  }
  if (line.kind === 'version') return print(`mcp-watchdog ${VERSION}`);
  if (line.kind === 'help') return help(line.command);
  const { args } = line;
  if (args.command === 'run' || args.command === 'stdio') return serve(args.command, args);
  // Loaded on demand: --help and --version should not pay for the detectors, the SDK and SQLite.
  const { runExtraCommand } = await import('./commands.js');
  return runExtraCommand(args);
}

/** --help and --version answer on stdout: they are the output asked for. */
function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

function help(command: string | undefined): number {
  if (command === undefined) return print(overallHelp(COMMANDS, HELP_FOOTER));
  const spec = COMMANDS.find((c) => c.name === command);
  return spec ? print(commandHelp(spec)) : usageError(`unknown command "${command}"`);
}

function usageError(message: string, command?: string): number {
  process.stderr.write(`watchdog: ${message}\nRun "watchdog ${command ? `${command} ` : ''}--help" for usage.\n`);
  return EXIT.usage;
}

async function serve(command: 'run' | 'stdio', args: ParsedArgs): Promise<number> {
  const level = stringOption(args, 'log-level') ?? process.env.WATCHDOG_LOG_LEVEL;
  if (level !== undefined && !isLogLevel(level)) return usageError(`log level "${level}" is not one of ${LOG_LEVELS.join(', ')}`, command);
  const loaded = loadCliConfig(args, command);
  if (!loaded) return EXIT.usage;
  const { config } = loaded;
  if (command === 'run') {
    const problem = await listenProblem(config.gateway.http);
    if (problem) {
      process.stderr.write(`${listenMessage(config.gateway.http, problem, loaded.path)}\n`);
      return EXIT.usage;
    }
  }
  const log = await cliLogger({ level: level ?? config.gateway.logLevel, pretty: flagSet(args, 'pretty') || process.stderr.isTTY === true });
  const { createApp } = await import('../app.js');
  const app = createApp(config, { log, configPath: loaded.path });
  guardProcess(app, log);
  const stopped = onShutdown(app, log, config.gateway.shutdownTimeout);
  try {
    if (command === 'run') announceHttp(log, config, (await app.serveHttp()).url);
    else {
      const door = await app.serveStdio(process.stdin, process.stdout);
      log.info(`serving MCP on stdin/stdout${loaded.path ? `; client config: ${stdioClientConfig('claude-desktop', loaded.path)}` : ''}`);
      void door.closed.then(() => stopped.stop('stdin closed'));
    }
  } catch (err) {
    log.fatal({ err: String(err) }, 'start-up failed');
    await app.close();
    return EXIT.usage;
  }
  return stopped.done;
}

/** The start-up line: where the gateway listens and the client config that reaches it. */
function announceHttp(log: ReturnType<typeof createLogger>, config: Config, url: string): void {
  const { http, auth } = config.gateway;
  const reach = clientUrl(url, http.allowedHosts);
  log.info({ clientUrl: reach }, `ready on ${reach}; client config: ${httpClientConfig(reach, auth.tokens.length > 0)}`);
}

type Log = ReturnType<typeof createLogger>;

/**
 * Last lines of defence (issue 7, item 2); the sources are guarded, these only catch what was missed.
 * Every exit, however it happens, SIGKILLs the upstream process groups first ('exit' handlers run
 * synchronously, which is all killAllGroups needs). A stray promise rejection is logged loudly and the
 * gateway keeps serving: the rejected operation has already unwound through its own finally blocks.
 * An uncaught exception may have left any state half-changed, so it is logged and the process exits.
 */
function guardProcess(app: App, log: Log): void {
  process.once('exit', () => app.killAllGroups());
  process.on('unhandledRejection', (reason) => {
    log.error({ err: errorText(reason) }, 'unhandled promise rejection (a bug; the gateway keeps serving)');
  });
  process.on('uncaughtException', (err) => {
    log.fatal({ err: errorText(err) }, 'uncaught exception (a bug); ending upstreams and exiting');
    process.exit(1);
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * SIGTERM/SIGINT (or stdin closing): close front doors, sessions and upstream process groups (in
 * parallel), then exit. After `gateway.shutdownTimeout` (4.5 s) the exit is forced, and every upstream
 * group is SIGKILLed first (issue 7, item 7: the forced path used to skip upstream teardown).
 */
function onShutdown(app: App, log: Log, shutdownTimeout: number) {
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ seconds: shutdownTimeout }, 'shutdown took longer than gateway.shutdownTimeout; killing upstream process groups and exiting');
      app.killAllGroups();
      resolveDone(1);
    }, shutdownTimeout * 1000);
    force.unref();
    void app.close().then(
      () => resolveDone(EXIT.ok),
      () => resolveDone(1),
    ).finally(() => clearTimeout(force));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return { done, stop };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`watchdog: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
