/**
 * What to put in an assistant's config to reach this gateway (issue 13), printed by `watchdog run` at
 * start-up and by `watchdog import` after writing a file. One line each, so it can be pasted as is.
 * A token is never printed: the snippet says `Bearer <your token>`.
 */
import { isLoopbackHost, type ClientFormat } from '../config/index.js';

/** The URL a client should use: a wildcard bind is reached through a real name, not 0.0.0.0. */
export function clientUrl(listeningUrl: string, allowedHosts: readonly string[]): string {
  const url = new URL(listeningUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = allowedHosts.find((h) => !isLoopbackHost(h)) ?? '127.0.0.1';
  return url.toString();
}

export function httpClientConfig(url: string, needsToken: boolean): string {
  const headers = needsToken ? { headers: { Authorization: 'Bearer <your token>' } } : {};
  return JSON.stringify({ mcpServers: { watchdog: { type: 'http', url, ...headers } } });
}

/** The stdio entry for each client's own format; Claude Code gets its `claude mcp add` line. */
export function stdioClientConfig(format: ClientFormat, configPath: string): string {
  const args = ['stdio', '--config', configPath];
  if (format === 'claude-code') return `claude mcp add watchdog -- mcp-watchdog ${args.map((a) => (/^[\w./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`;
  if (format === 'vscode') return JSON.stringify({ servers: { watchdog: { type: 'stdio', command: 'mcp-watchdog', args } } });
  return JSON.stringify({ mcpServers: { watchdog: { command: 'mcp-watchdog', args } } });
}
