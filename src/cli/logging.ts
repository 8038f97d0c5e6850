/**
 * The daemon's logger as the CLI builds it (issue 13): the level comes from `--log-level`, else
 * `$WATCHDOG_LOG_LEVEL`, else `gateway.logLevel`; lines are JSON for machines, or human-readable
 * (pino-pretty) with `--pretty` or when stderr is a terminal. Either way they go to stderr — stdout is
 * JSON-RPC's in stdio mode. The pretty formatter runs synchronously in-process (not as a worker
 * transport), so no line is lost when the process exits right after logging it.
 */
import pino, { type Logger } from 'pino';
import { createLogger } from '../logger.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LogChoice {
  level: string;
  pretty: boolean;
}

export function isLogLevel(level: string): boolean {
  return (LOG_LEVELS as readonly string[]).includes(level);
}

export async function cliLogger(choice: LogChoice): Promise<Logger> {
  if (!choice.pretty) return createLogger(choice.level);
  const { prettyFactory } = await import('pino-pretty');
  const prettify = prettyFactory({ colorize: process.stderr.isTTY === true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss.l' });
  const stderr = pino.destination({ fd: 2, sync: true });
  return createLogger(choice.level, { write: (line: string) => stderr.write(prettify(line)) });
}
