#!/usr/bin/env node
/**
 * `watchdog` / `mcp-watchdog`: the command line. `run` serves HTTP as a daemon; `stdio` serves one
 * assistant on stdin/stdout (also the default when stdin is not a terminal, so the one-line client
 * config `{"command": "mcp-watchdog"}` works); `stdio -- <command…>` wraps a single server with no
 * config file. Config errors print the file, line and path and exit 2; nothing starts.
 */
import { createApp, type App } from '../app.js';
import { createLogger } from '../logger.js';
import { parseArgs, stringOption, type ParsedArgs } from './args.js';
import { loadCliConfig } from './load-config.js';
import { runExtraCommand, EXTRA_COMMANDS } from './commands.js';

const USAGE = `usage: watchdog <command> [options]

commands:
  run      [--config FILE]            serve the merged MCP endpoint over Streamable HTTP (daemon)
  stdio    [--config FILE]            serve it on stdin/stdout (what an assistant spawns)
  stdio -- <command> [args…]          wrap one stdio MCP server, no config file
${EXTRA_COMMANDS}
Config is found at --config, $WATCHDOG_CONFIG, ./watchdog.yaml, ~/.config/mcp-watchdog/watchdog.yaml.
With no command and stdin not a terminal, watchdog runs as 'stdio'.`;

const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.options.has('version')) return print('mcp-watchdog 0.1.0');
  const command = args.command ?? (!process.stdin.isTTY && !args.options.has('help') ? 'stdio' : undefined);
  if (command === undefined || args.options.has('help')) return print(USAGE);
  if (command === 'run' || command === 'stdio') return serve(command, args);
  const code = await runExtraCommand(command, args, argv);
  if (code !== undefined) return code;
  process.stderr.write(`watchdog: unknown command "${command}"\n\n${USAGE}\n`);
  return EXIT.usage;
}

function print(text: string): number {
  process.stderr.write(`${text}\n`);
  return EXIT.ok;
}

async function serve(command: 'run' | 'stdio', args: ParsedArgs): Promise<number> {
  const loaded = loadCliConfig(args, command);
  if (!loaded) return EXIT.usage;
  const { config } = loaded;
  const log = createLogger(stringOption(args, 'log-level') ?? process.env.WATCHDOG_LOG_LEVEL ?? config.gateway.logLevel);
  const app = createApp(config, { log, configPath: loaded.path });
  guardProcess(app, log);
  const stopped = onShutdown(app, log, config.gateway.shutdownTimeout);
  try {
    if (command === 'run') await app.serveHttp();
    else {
      const door = await app.serveStdio(process.stdin, process.stdout);
      void door.closed.then(() => stopped.stop('stdin closed'));
    }
  } catch (err) {
    log.fatal({ err: String(err) }, 'start-up failed');
    await app.close();
    return EXIT.usage;
  }
  return stopped.done;
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
