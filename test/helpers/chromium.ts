/**
 * Headless Chromium for the console's browser test (issue 17), from the system's packages (Debian's
 * `chromium`), driven by playwright-core (which downloads no browser). Where no Chromium is installed
 * the browser suite cannot run: `chromiumMissing` says so, the suite then shows one skipped test whose
 * title is the notice, and with `WATCHDOG_REQUIRE_CHROMIUM=1` (set by .ci/run, which installs it) the
 * absence is a failure instead, so CI never passes without running it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { missingNotice, registerNotice } from './engine-notice.js';

// WATCHDOG_CHROMIUM names the only binary to try (a path that does not exist shows the notice).
const CANDIDATES = process.env.WATCHDOG_CHROMIUM ? [process.env.WATCHDOG_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function find(): string | undefined {
  for (const path of CANDIDATES) {
    if (path && existsSync(path) && spawnSync(path, ['--headless', '--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0) return path;
  }
  return undefined;
}

export const chromiumPath: string | undefined = find();

/** Why the browser suites cannot run here, or undefined when they can. */
export const chromiumMissing: string | undefined = chromiumPath ? undefined : 'Chromium is not installed (apt-get install -y chromium): the web console is NOT tested in a browser here';

missingNotice(chromiumMissing);

/** Registers the notice in place of a suite: a skipped test, or a failing one when CI requires Chromium. */
export function chromiumNotice(): void {
  registerNotice(chromiumMissing, 'Chromium', 'WATCHDOG_REQUIRE_CHROMIUM');
}
