/**
 * Setup file (vitest.config.ts): every test file gets its own empty state folder, so a gateway without
 * `gateway.store` (its default lives in $XDG_STATE_HOME/mcp-watchdog) never writes to the real home and
 * never meets another test file's store or status files; and an empty home folder, so the config and
 * sensitive-file watch of a gateway the tests spawn (issue 11) never reads the real home's files. npm keeps
 * the real cache (the npm-install test works offline from it). Child processes inherit both with process.env.
 */
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'watchdog-state-'));
process.env.npm_config_cache ??= join(homedir(), '.npm');
process.env.HOME = mkdtempSync(join(tmpdir(), 'watchdog-home-'));
