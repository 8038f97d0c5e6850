/**
 * Setup file (vitest.config.ts): every test file gets its own empty state folder, so a gateway without
 * `gateway.store` (its default lives in $XDG_STATE_HOME/mcp-watchdog) never writes to the real home and
 * never meets another test file's store or status files. Child processes inherit it with process.env.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'watchdog-state-'));
