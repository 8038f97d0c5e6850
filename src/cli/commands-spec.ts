/**
 * Every `watchdog` command and its flags, in one table: the parser (args.ts), the help texts and the
 * README's command list all come from here, so a flag cannot be accepted without being documented.
 */
import type { CommandSpec, FlagSpec } from './args.js';

const config: FlagSpec = { kind: 'string', value: 'FILE', help: 'config file (default: $WATCHDOG_CONFIG, ./watchdog.yaml, ~/.config/mcp-watchdog/watchdog.yaml)' };
const json: FlagSpec = { kind: 'boolean', help: 'print JSON on stdout' };
const logging: Record<string, FlagSpec> = {
  'log-level': { kind: 'string', value: 'LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default: $WATCHDOG_LOG_LEVEL, else gateway.logLevel, info)' },
  pretty: { kind: 'boolean', help: 'human-readable logs (the default when stderr is a terminal); logs always go to stderr' },
};
const from: FlagSpec = { kind: 'string', value: 'CLIENT', help: 'auto|claude-desktop|claude-code|cursor|vscode|windsurf (default auto: by file name and content)' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    summary: 'serve the merged MCP endpoint over Streamable HTTP (the daemon)',
    flags: { config, ...logging },
    details: 'Listens on gateway.http.host:port (default 127.0.0.1:8765) at gateway.http.path (/mcp). A port already in use\nis reported before any upstream starts (exit 2).',
  },
  {
    name: 'stdio',
    summary: 'serve it on stdin/stdout (what an assistant spawns); also the default when stdin is not a terminal',
    rest: '<command> [args…]',
    flags: { config, ...logging },
    details: 'With "-- <command> [args…]" it wraps that one stdio MCP server, with no config file.\nstdout carries only JSON-RPC; logs go to stderr.',
  },
  {
    name: 'status',
    summary: 'ask the running gateway (and stdio gateways) what they are doing',
    flags: {
      config,
      url: { kind: 'string', value: 'URL', help: "the daemon's address, e.g. http://127.0.0.1:8765 (default: from the config's gateway.http)" },
      json: { kind: 'boolean', help: 'print the status report as JSON (schema in the README: "Status document")' },
    },
    details: [
      'Reads only gateway.http and gateway.store from the config: no ${VAR} secret needs to be set. On a non-loopback',
      'bind the admin API needs an admin token: $WATCHDOG_ADMIN_TOKEN, or the config\'s gateway.auth.adminTokens when',
      'their variables are set. stdio gateways are listed from the snapshot files they write beside the store.',
      'Exit codes: 0 every enabled upstream ready, 1 degraded, 2 no gateway answered.',
    ].join('\n'),
  },
  {
    name: 'findings',
    summary: 'list recorded findings from the audit log (read-only)',
    flags: {
      config,
      since: { kind: 'string', value: 'WHEN', help: 'a duration back from now (30m, 1h, 7d), an ISO date or epoch ms (default: all)' },
      upstream: { kind: 'string', value: 'NAME', help: 'only this upstream' },
      severity: { kind: 'string', value: 'SEVERITY', help: 'info|low|medium|high|critical: that severity or worse' },
      rule: { kind: 'string', value: 'RULE', help: 'a rule id, a detector id (all its rules) or a glob such as secrets/*' },
      limit: { kind: 'string', value: 'N', help: 'at most N findings, newest first (default 50, at most 10000)' },
      cursor: { kind: 'string', value: 'CURSOR', help: 'continue after a previous page (its nextCursor)' },
      json,
    },
    details: 'Opens gateway.store read-only (nothing is migrated, pruned or created). Exit codes: 0 ok (also when none match), 2 error.',
  },
  {
    name: 'pins',
    summary: 'review pinned tool definitions: list, diff, approve, reject, reset (issue 10)',
    positionals: { label: 'list|diff|approve|reject|reset [UPSTREAM[/ITEM]]', min: 1, max: 2 },
    flags: {
      config,
      kind: { kind: 'string', value: 'KIND', help: 'tool|prompt|resource|template|instructions: only pins of this kind' },
      status: { kind: 'string', value: 'STATUS', help: 'list only: pinned|held|rejected' },
      json,
    },
    details: [
      'A pin is what a catalog item looked like when it was trusted; a held change waits here for a decision.',
      'diff shows a held change field by field; approve makes it the trusted definition, reject keeps it withheld,',
      'reset forgets the pins (the next listing pins afresh). Running gateways on the same store apply a decision',
      'within a second, without a restart. Exit codes: 0 ok, 1 nothing matched the target, 2 error.',
    ].join('\n'),
  },
  {
    name: 'scan',
    summary: "audit upstreams' tools, prompts and instructions, as the gateway would expose them",
    flags: {
      config,
      'client-config': { kind: 'string', value: 'FILE', help: "audit the servers of an assistant's own config file instead" },
      from,
      json,
      'fail-on': { kind: 'string', value: 'SEVERITY', help: 'info|low|medium|high|critical: exit 1 on findings at or above it (default high)' },
      timeout: { kind: 'string', value: 'SECONDS', help: 'per server: connecting and listing (default 30)' },
      yes: { kind: 'boolean', help: 'start the servers of --client-config without asking' },
    },
    details: [
      'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 error (config, unrecognised client config,',
      'a server that could not be reached, or --client-config without --yes when stdin is not a terminal).',
      "--client-config starts the commands named in that file: they are listed on stderr first and, on a",
      'terminal, you are asked to confirm.',
    ].join('\n'),
  },
  {
    name: 'eval',
    summary: 'measure the detectors on a labelled corpus',
    positionals: { label: 'FILE_OR_DIR…', min: 0, max: Number.POSITIVE_INFINITY },
    flags: {
      json,
      predictions: { kind: 'string', value: 'OUT.jsonl', help: 'write one prediction per record' },
      baseline: { kind: 'string', value: 'FILE', help: 'known errors; exit 1 when one is stale or a new one appears' },
      'update-baseline': { kind: 'boolean', help: 'rewrite --baseline from this run' },
      judge: { kind: 'boolean', help: "add the LLM judge as the config's detection.semantic sets it up (sends text to the API; needs a key)" },
      config: { ...config, help: `with --judge: ${config.help}` },
    },
    details: [
      'Without paths it evaluates ../shared/corpus when that folder exists. With --judge the judge is enabled, its',
      'key from detection.semantic.apiKey or $ANTHROPIC_API_KEY; perMinute bounds it (raise it for a large corpus).',
      'Exit codes: 0 ok, 1 baseline mismatch, 2 error (--judge without a key included).',
    ].join('\n'),
  },
  {
    name: 'import',
    summary: "turn an assistant's MCP config into a watchdog.yaml (executes nothing)",
    positionals: { label: 'FILE', min: 1, max: 1 },
    flags: {
      from,
      out: { kind: 'string', value: 'FILE', help: 'write the YAML there (default: stdout); an existing file needs --force' },
      force: { kind: 'boolean', help: 'overwrite --out' },
      workspace: { kind: 'string', value: 'DIR', help: 'value for ${workspaceFolder} (default: the folder holding .vscode/ or .cursor/, else ${WORKSPACE_FOLDER})' },
    },
    details: [
      'Reads mcpServers (Claude Desktop, Claude Code incl. projects.*, Cursor, Windsurf) or VS Code servers + inputs',
      '(JSONC). Entries it cannot convert are reported and skipped. Exit codes: 0 all converted, 1 written with',
      'entries skipped, 2 unreadable or unrecognised file.',
    ].join('\n'),
  },
];

export const HELP_FOOTER = `Run "watchdog <command> --help" for its options.
Config is found at --config, $WATCHDOG_CONFIG, ./watchdog.yaml, ~/.config/mcp-watchdog/watchdog.yaml.
With no command and stdin not a terminal, watchdog runs as "stdio".`;
