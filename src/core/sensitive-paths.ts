/**
 * Files no MCP server may touch through the gateway, scope or not (issue 11, filesystem scope), and the
 * same list the config watch guards: credentials (`.ssh/`, `.aws/`, `.gnupg/`, `.env`), what runs code on
 * the next shell or commit (shell rc files, `.git/hooks/`, `.git/config` with its `core.hooksPath` and
 * `credential.helper`), and the MCP client config files that decide which servers an assistant starts
 * (Claude Desktop, Claude Code, Cursor, Windsurf, VS Code). Matching is by path segment, never by
 * substring (`notes.ssh.md` and `.environment/` are fine), and case-folded where the file system is.
 */

export type SensitiveKind = 'credentials' | 'git' | 'shell-rc' | 'env-file' | 'mcp-client-config';

export interface SensitiveMatch {
  kind: SensitiveKind;
  /** What the file is, for a finding's reason, e.g. `SSH keys folder (.ssh/)`. */
  what: string;
}

/** Folders whose whole content is credentials. */
const CREDENTIAL_FOLDERS: ReadonlyMap<string, string> = new Map([
  ['.ssh', 'SSH keys folder (.ssh/)'],
  ['.aws', 'AWS credentials folder (.aws/)'],
  ['.gnupg', 'GnuPG keys folder (.gnupg/)'],
]);

/** Files a login or interactive shell runs (direnv's `.envrc` too: it runs on `cd`). */
export const SHELL_RC_FILES: readonly string[] = [
  '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin',
  '.zlogout', '.cshrc', '.tcshrc', '.kshrc', '.mkshrc', '.envrc', 'config.fish',
];

/** `.env` and `.env.<name>`, except the committed templates. */
const ENV_FILE = /^\.env(?:\.(?!example$|sample$|template$|dist$)[^/\\]+)?$/;

/**
 * MCP client config files, by their last segments, always matched case-folded (VS Code's folder is `Code`
 * on Linux and `code` in a portable install; a false match only refuses a file nobody should hand a server):
 * Claude Desktop, Claude Code (user file, project file, settings), Cursor, Windsurf, VS Code (workspace and
 * user `mcp.json`, settings that may hold `mcp.servers`).
 */
const CLIENT_CONFIGS: ReadonlyArray<{ tail: readonly string[]; what: string }> = [
  { tail: ['claude_desktop_config.json'], what: 'Claude Desktop MCP config' },
  { tail: ['.claude.json'], what: 'Claude Code MCP config' },
  { tail: ['.mcp.json'], what: 'Claude Code project MCP config' },
  { tail: ['.claude', 'settings.json'], what: 'Claude Code settings' },
  { tail: ['.claude', 'settings.local.json'], what: 'Claude Code settings' },
  { tail: ['.cursor', 'mcp.json'], what: 'Cursor MCP config' },
  { tail: ['windsurf', 'mcp_config.json'], what: 'Windsurf MCP config' },
  { tail: ['.vscode', 'mcp.json'], what: 'VS Code MCP config' },
  { tail: ['.vscode', 'settings.json'], what: 'VS Code workspace settings' },
  { tail: ['user', 'mcp.json'], what: 'VS Code user MCP config' },
  { tail: ['user', 'settings.json'], what: 'VS Code user settings' },
];

/** VS Code's user folder is `<Code>/User`; only that parent makes `User/settings.json` a client config. */
const VSCODE_FOLDERS = new Set(['code', 'code - insiders', 'vscodium', 'cursor', 'windsurf']);

export function pathSegments(path: string): string[] {
  return path.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
}

/** Whether `path` (absolute or relative) names or lies inside a file no upstream may touch. */
export function sensitivePath(path: string, caseInsensitive: boolean): SensitiveMatch | undefined {
  const segments = pathSegments(path).map((s) => (caseInsensitive ? s.toLowerCase() : s));
  const last = segments.at(-1);
  if (last === undefined) return undefined;
  for (const [i, segment] of segments.entries()) {
    const folder = CREDENTIAL_FOLDERS.get(segment);
    if (folder) return { kind: 'credentials', what: folder };
    if (segment === '.git' && segments[i + 1] === 'hooks') return { kind: 'git', what: 'git hooks (.git/hooks/)' };
    if (segment === '.git' && segments[i + 1] === 'config' && i + 2 === segments.length) return { kind: 'git', what: 'git config (.git/config)' };
  }
  if (SHELL_RC_FILES.includes(last)) return { kind: 'shell-rc', what: `shell startup file (${last})` };
  if (ENV_FILE.test(last)) return { kind: 'env-file', what: `environment file (${last})` };
  return clientConfig(segments);
}

function clientConfig(segments: readonly string[]): SensitiveMatch | undefined {
  const folded = segments.map((s) => s.toLowerCase());
  for (const { tail, what } of CLIENT_CONFIGS) {
    if (folded.length < tail.length) continue;
    const end = folded.slice(-tail.length);
    if (!end.every((s, i) => s === tail[i])) continue;
    if (tail[0] === 'user' && !VSCODE_FOLDERS.has(folded.at(-tail.length - 1) ?? '')) continue;
    return { kind: 'mcp-client-config', what };
  }
  return undefined;
}

/**
 * The files under a home folder the config watch guards by default (issue 11), as paths relative to it:
 * every MCP client config location on Linux and macOS (a missing one is simply not watched), then the
 * shell rc files, SSH's `authorized_keys` and `config`, and git's user config.
 */
export const WATCHED_HOME_FILES: readonly string[] = [
  '.config/Claude/claude_desktop_config.json',
  'Library/Application Support/Claude/claude_desktop_config.json',
  '.claude.json',
  '.claude/settings.json',
  '.cursor/mcp.json',
  '.codeium/windsurf/mcp_config.json',
  '.config/Code/User/mcp.json',
  '.config/Code/User/settings.json',
  'Library/Application Support/Code/User/mcp.json',
  'Library/Application Support/Code/User/settings.json',
  '.bashrc', '.bash_profile', '.profile', '.zshrc', '.zshenv', '.zprofile',
  '.ssh/authorized_keys', '.ssh/config', '.gitconfig',
];
