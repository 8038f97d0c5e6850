/**
 * The process logger: pino writing JSON to stderr (fd 2), never stdout, which belongs to JSON-RPC in
 * stdio mode. Redaction covers the places secrets can appear in log objects: authorization headers,
 * configured upstream headers and env values, finding matches, and the LLM judge's API key (issue 15).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { PRODUCT_NAME } from './core/index.js';

export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'env',
  '*.env',
  'match',
  '*.match',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
];

/**
 * `destination`: a file descriptor (default 2, stderr, written synchronously) or anything with pino's
 * `write(line)` (a stream, or the CLI's pretty printer), typed as pino's own DestinationStream.
 */
export function createLogger(level: string, destination: number | DestinationStream = 2): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino({ level, base: { name: PRODUCT_NAME }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
}
