#!/usr/bin/env node
// `npm run conformance`: the official MCP conformance suite, run through the gateway (issue 3).
//
// Contract: starts `node dist/cli/main.js run --config <tmp>/watchdog.yaml` with ONE stdio upstream,
// the project's fixture (test/fixtures/conformance-server.mjs, unprefixed so the suite's fixture
// names match), waits until it listens, runs `conformance server --requirements 2025-11-25` and then
// `--requirements 2026-07-28` against it, and stops it with SIGTERM. A third run starts a second
// gateway whose upstream is the same fixture pinned `protocol: legacy` and runs the 2026-07-28
// requirements again (label `2026-07-28/legacy-upstream`): a 2025-era upstream's pushes must reach
// modern clients as `input_required` rounds (parking, src/gateway/era-bridge/parking.ts). Every failing
// scenario is compared with its run's section of test/conformance/expected-failures.yaml: a failure
// not listed fails the run, and so does a listed entry that now passes (stale), so the list can only
// shrink. 2025-11-25 must pass all its scored scenarios regardless of the list. The last line
// printed is always
//   conformance: 2025-11-25 P/T passed, 2026-07-28 P/T passed[, 2026-07-28 via legacy upstream P/T passed]
// counting the scenarios each revision's requirements file scores (its `server` list).
//
// Options: --direct runs against the fixture served over HTTP without the gateway (validates the
// fixture and this script; the legacy-upstream run needs the gateway and is skipped); --era <run>
// runs one run only (a revision, or 2026-07-28/legacy-upstream); --keep keeps the temporary
// directory (config, logs, the suite's checks.json files), which is also kept whenever the run fails.
//
// Results are read from the suite's own JSON (`-o DIR` writes one checks.json per scenario); a
// scenario counts as failed when any of its checks has status FAILURE, as in the suite's summary.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Each run: a label (its expected-failures section), the revision required, the upstream's pinned protocol. */
const RUNS = [
  { label: '2025-11-25', era: '2025-11-25', protocol: 'auto', summary: '2025-11-25' },
  { label: '2026-07-28', era: '2026-07-28', protocol: 'auto', summary: '2026-07-28' },
  { label: '2026-07-28/legacy-upstream', era: '2026-07-28', protocol: 'legacy', summary: '2026-07-28 via legacy upstream', gatewayOnly: true },
];
const LABELS = RUNS.map((r) => r.label);
const FIXTURE = join(ROOT, 'test/fixtures/conformance-server.mjs');
const HOOK = join(ROOT, 'test/conformance/node20-hook.mjs');
const EXPECTED_FILE = join(ROOT, 'test/conformance/expected-failures.yaml');
const GATEWAY_CLI = join(ROOT, 'dist/cli/main.js');
const SUITE_DIR = dirname(createRequire(join(ROOT, 'package.json')).resolve('@modelcontextprotocol/conformance/package.json'));
const SUITE_BIN = join(SUITE_DIR, 'dist/index.js');
const READY_TIMEOUT_MS = 30_000;
const SUITE_TIMEOUT_MS = 10 * 60_000;
const STOP_GRACE_MS = 5_000;

/** Scored and not-scored server scenarios a revision requires, from the suite's requirements file. */
function loadRequirements(era) {
  const doc = parseYaml(readFileSync(join(SUITE_DIR, 'requirements', `${era}.yaml`), 'utf8'));
  const scored = doc.server ?? [];
  const notScored = (doc.not_scored ?? []).filter((e) => e.leg === 'server').map((e) => e.scenario);
  return { scored, notScored };
}

/** Expected failures per run label; an entry may be limited to one mode with `only: gateway|direct`. */
function loadExpectedFailures(mode) {
  const doc = parseYaml(readFileSync(EXPECTED_FILE, 'utf8')) ?? {};
  const byEra = {};
  for (const era of LABELS) {
    const entries = doc[era] ?? [];
    if (!Array.isArray(entries)) throw new Error(`${EXPECTED_FILE}: '${era}' must be a list`);
    byEra[era] = new Map(
      entries
        .filter((e) => e.only === undefined || e.only === mode)
        .map((e) => {
          if (typeof e?.scenario !== 'string' || typeof e?.reason !== 'string') {
            throw new Error(`${EXPECTED_FILE}: each '${era}' entry needs 'scenario' and 'reason'`);
          }
          return [e.scenario, e.reason];
        }),
    );
  }
  return byEra;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolveConnect) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolveConnect(true)));
    socket.once('error', () => resolveConnect(false));
  });
}

/**
 * Spawns a server process (its own process group, so a stuck one can be reaped with its
 * children), copies stderr to `logFile`, and resolves with its MCP URL once it listens: the URL
 * it announces on stderr (`"url":"http://…"` in a pino line, or `listening http://…`), or the
 * expected URL as soon as the port accepts connections.
 */
async function startServer({ args, logFile, port, announce }) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const log = createWriteStream(logFile);
  let announced;
  let buffered = '';
  child.stderr.on('data', (chunk) => {
    log.write(chunk);
    buffered = (buffered + chunk.toString('utf8')).slice(-64 * 1024);
    announced ??= announce(buffered);
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!announced) {
    if (exited) throw new Error(`server exited before listening (exit ${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) {
      await stopServer(child);
      throw new Error(`server did not listen within ${READY_TIMEOUT_MS / 1000}s; see ${logFile}`);
    }
    if (port !== undefined && (await canConnect(port))) announced = `http://127.0.0.1:${port}/mcp`;
    else await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: announced, stop: () => stopServer(child).finally(() => log.end()) };
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL'); // the group we created: the server and anything it spawned
    } catch {
      // Already gone.
    }
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

const PINO_URL = /"url"\s*:\s*"(https?:\/\/[^"]+)"/;
const LISTENING_URL = /listening (https?:\/\/\S+)/;

async function startGateway(work, protocol) {
  if (!existsSync(GATEWAY_CLI)) {
    throw new Error(`${GATEWAY_CLI} is missing: build first (npm run build), or use --direct to test the fixture alone`);
  }
  const port = await freePort();
  const config = {
    upstreams: [{ name: 'conformance', command: process.execPath, args: [FIXTURE], prefix: '', protocol }],
    gateway: { prefix: 'never', http: { port } },
  };
  const configFile = join(work, `watchdog-${protocol}.yaml`);
  writeFileSync(configFile, stringifyYaml(config));
  return startServer({
    args: [GATEWAY_CLI, 'run', '--config', configFile],
    logFile: join(work, `gateway-${protocol}.log`),
    port,
    announce: (text) => PINO_URL.exec(text)?.[1],
  });
}

async function startFixture(work) {
  const port = await freePort();
  return startServer({
    args: [FIXTURE, '--http', String(port)],
    logFile: join(work, 'fixture.log'),
    port,
    announce: (text) => LISTENING_URL.exec(text)?.[1],
  });
}

/** Runs the suite for one run's revision; resolves with its output directory and console log path. */
async function runSuite(url, { label, era }, work) {
  const slug = label.replace(/\//g, '-');
  const outDir = join(work, `results-${slug}`);
  const logFile = join(work, `suite-${slug}.log`);
  const args = ['--import', pathToFileURL(HOOK).href, SUITE_BIN, 'server', '--url', url, '--requirements', era, '-o', outDir];
  const child = spawn(process.execPath, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  await new Promise((r) => log.end(r));
  return { outDir, logFile, code, signal };
}

const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/;
const SUMMARY_LINE = /^([✓✗]) (\S+): (\d+) passed, (\d+) failed$/;

/** Scenario name -> failed?, from the suite's checks.json files (its console summary as a fallback). */
function readResults({ outDir, logFile }) {
  const results = new Map();
  const dirs = existsSync(outDir) ? readdirSync(outDir) : [];
  for (const dir of dirs) {
    const scenario = RESULT_DIR.exec(dir)?.[1];
    const checksFile = join(outDir, dir, 'checks.json');
    if (!scenario || !existsSync(checksFile)) continue;
    const checks = JSON.parse(readFileSync(checksFile, 'utf8'));
    results.set(scenario, Array.isArray(checks) && checks.some((c) => c.status === 'FAILURE'));
  }
  if (results.size === 0 && existsSync(logFile)) {
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      const m = SUMMARY_LINE.exec(line.trim());
      if (m) results.set(m[2], m[1] === '✗' || Number(m[4]) > 0);
    }
  }
  return results;
}

/** Compares one run's results with its revision's requirements and its expected failures. */
function judge({ label, era }, results, expected) {
  const { scored, notScored } = loadRequirements(era);
  const failed = new Set();
  for (const scenario of [...scored, ...notScored]) {
    if (results.get(scenario) !== false) failed.add(scenario); // a missing result counts as a failure
  }
  for (const [scenario, didFail] of results) if (didFail) failed.add(scenario);
  const scoredPassed = scored.filter((s) => !failed.has(s)).length;
  const unexpected = [...failed].filter((s) => !expected.has(s));
  const stale = [...expected.keys()].filter((s) => !failed.has(s));
  const allScoredRequired = label === '2025-11-25';
  const ok = unexpected.length === 0 && stale.length === 0 && (!allScoredRequired || scoredPassed === scored.length);
  return { label, scored, notScored, failed, results, scoredPassed, unexpected, stale, ok };
}

function report(verdict, expected) {
  const { label, scored, notScored, failed, results, scoredPassed, unexpected, stale } = verdict;
  const kind = (s) => (scored.includes(s) ? 'scored' : notScored.includes(s) ? 'not scored' : 'extra');
  console.log(`\n${label}: ${scoredPassed}/${scored.length} scored scenarios passed; ${results.size} scenarios ran`);
  for (const s of failed) {
    const why = !results.has(s) ? ' (no result)' : '';
    if (expected.has(s)) console.log(`  expected failure  ${s} [${kind(s)}]${why}: ${expected.get(s)}`);
    else console.log(`  UNEXPECTED FAIL   ${s} [${kind(s)}]${why}`);
  }
  for (const s of stale) console.log(`  STALE ENTRY       ${s}: passes now; remove it from '${label}' in ${EXPECTED_FILE}`);
  if (label === '2025-11-25' && scoredPassed < scored.length) console.log('  2025-11-25 requires every scored scenario to pass');
  if (unexpected.length === 0 && stale.length === 0) console.log('  matches the expected-failures list');
}

function summaryLine(runs, verdicts) {
  const parts = runs.map((run) => {
    const v = verdicts.get(run.label);
    const total = v?.scored.length ?? loadRequirements(run.era).scored.length;
    return `${run.summary} ${v?.scoredPassed ?? 0}/${total} passed`;
  });
  return `conformance: ${parts.join(', ')}`;
}

/** Runs `runs` against one target (the fixture alone, or a gateway with the given upstream protocol). */
async function runAgainst(start, runs, work, expected, verdicts) {
  const target = await start();
  console.log(`conformance: ${runs.map((r) => r.label).join(', ')} against ${target.url}`);
  try {
    for (const run of runs) {
      const result = await runSuite(target.url, run, work);
      if (result.signal) console.log(`${run.label}: the suite was killed (${result.signal}); see ${result.logFile}`);
      verdicts.set(run.label, judge(run, readResults(result), expected[run.label]));
    }
  } finally {
    await target.stop();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { direct: { type: 'boolean', default: false }, era: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  if (values.era && !LABELS.includes(values.era)) throw new Error(`--era must be one of ${LABELS.join(', ')}`);
  const mode = values.direct ? 'direct' : 'gateway';
  const runs = RUNS.filter((r) => (values.era ? r.label === values.era : !(values.direct && r.gatewayOnly)));
  if (values.direct && runs.some((r) => r.gatewayOnly)) throw new Error(`${values.era} needs the gateway (drop --direct)`);
  const expected = loadExpectedFailures(mode);
  const work = mkdtempSync(join(tmpdir(), 'watchdog-conformance-'));
  const verdicts = new Map();
  let ok = false;
  try {
    if (values.direct) await runAgainst(() => startFixture(work), runs, work, expected, verdicts);
    for (const protocol of values.direct ? [] : [...new Set(runs.map((r) => r.protocol))]) {
      await runAgainst(() => startGateway(work, protocol), runs.filter((r) => r.protocol === protocol), work, expected, verdicts);
    }
    for (const run of runs) report(verdicts.get(run.label), expected[run.label]);
    ok = runs.every((run) => verdicts.get(run.label).ok);
  } catch (error) {
    console.log(`conformance: ${error.message}`);
  } finally {
    if (ok && !values.keep) rmSync(work, { recursive: true, force: true });
    else console.log(`results kept in ${work}`);
  }
  console.log(summaryLine(runs, verdicts));
  return ok ? 0 : 1;
}

process.exitCode = await main();
