/**
 * The product's name and version, read once from package.json (the same file npm publishes), so the
 * CLI's `--version`, the admin API's `/status` and the metrics agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { name: string; version: string };

export const PRODUCT = Object.freeze({ name: 'mcp-watchdog', version: manifest.version });
