/**
 * `watchdog run` checks that it can listen before anything starts (issue 13): a port already in use is
 * reported with host:port and the config key, with exit 2, and no upstream process is spawned for
 * nothing. The probe binds a real socket with the same host and port and closes it at once; the window
 * between probe and the real listen is a few milliseconds, and a loss of that race still fails cleanly
 * later (start-up failed, exit 2).
 */
import { createServer } from 'node:net';

export interface ListenTarget {
  host: string;
  port: number;
}

const REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (another watchdog, or another program): stop it or choose another gateway.http.port',
  EACCES: 'permission denied (ports below 1024 need privileges): choose another gateway.http.port',
  EADDRNOTAVAIL: 'the address does not belong to this machine: check gateway.http.host',
  ENOTFOUND: 'the host name does not resolve: check gateway.http.host',
};

/** `undefined` when the address can be bound; otherwise why not, in words. */
export async function listenProblem(target: ListenTarget): Promise<string | undefined> {
  if (target.port === 0) return undefined;
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => resolve(REASONS[err.code ?? ''] ?? err.message));
    server.listen({ host: target.host, port: target.port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

export function listenMessage(target: ListenTarget, reason: string, configPath: string | undefined): string {
  const where = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  return `watchdog: cannot listen on ${where} (gateway.http.host/port${configPath ? ` in ${configPath}` : ''}): ${reason}`;
}
