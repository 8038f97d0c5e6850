/**
 * Paths in tool-call arguments that reach for secrets (issue 4: credential files such as `~/.ssh`,
 * `.aws/credentials`, `.env`, `.npmrc`, MCP client config files; dangerous arguments going upstream).
 *
 * Contract: `findPathTargets(value, asTokens)` reports (a) `../` traversal (any separator, percent-encoded
 * forms decoded) that ends in a secret file — in any text, (b) a secret file named by a path-shaped value or
 * token (`/etc/shadow`, `~/.ssh/id_rsa`, `file:///root/.aws/credentials`) — only for whole values or, when
 * `asTokens`, whitespace-separated tokens of a command, so prose that merely mentions `~/.ssh` in a
 * document being written is left to the credential-seeking detector, and (c) very deep traversal
 * (`../` five times or more) without a known target, at medium severity. Public keys (`id_rsa.pub`) and
 * example env files (`.env.example`) are not secrets.
 */
import type { Severity } from '../../core/index.js';

export interface PathTarget {
  severity: Severity;
  reason: string;
  match: string;
}

/** Secret files, relative to wherever they live; either separator, case-insensitive. */
const SECRET_FILE_BODY = String.raw`(?<target>\.ssh[/\\](?:id_[a-z0-9_]{1,20}|authorized_keys)(?![\w.])|\.aws[/\\](?:credentials|config)\b|\.env(?:\.(?!example|sample|template|dist)[\w-]{1,20})?(?![\w.-])|\.npmrc\b|\.pypirc\b|\.netrc\b|\.pgpass\b|\.git-credentials\b|\.docker[/\\]config\.json\b|\.kube[/\\]config\b|\.gnupg[/\\]|\.config[/\\]gcloud[/\\]|\.azure[/\\]|etc[/\\](?:shadow|gshadow|passwd|sudoers|master\.passwd)\b|proc[/\\]self[/\\](?:environ|cmdline|mem)\b|\.(?:bash|zsh)_history\b|id_(?:rsa|dsa|ecdsa|ed25519)(?![\w.])|claude_desktop_config\.json\b|\.cursor[/\\]mcp\.json\b)`;

/** A secret file at the start of a path or after a separator or `~`. */
const SECRET_FILE = new RegExp(String.raw`(?:^|[/\\~])${SECRET_FILE_BODY}`, 'i');
/** `../` (or `..\`) at least once, then any path segments, then a secret file. */
const TRAVERSAL_TO_SECRET = new RegExp(String.raw`(?:\.\.[/\\]){1,32}(?:[^\s"'<>|;&]{0,200}?[/\\])?${SECRET_FILE_BODY}`, 'i');
const DEEP_TRAVERSAL = /(?:\.\.[/\\]){5,64}/;

/** Decodes `%2e%2e%2f` and double-encoded `%252e` forms, at most three rounds. */
export function decodePercent(value: string): string {
  let current = value;
  for (let round = 0; round < 3 && /%[0-9a-f]{2}/i.test(current); round += 1) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

function targetName(m: RegExpExecArray): string {
  return (m.groups?.['target'] ?? m[0]).replace(/\\/g, '/');
}

/** Strips shell quoting and a `file://` scheme from a token. */
function asPath(token: string): string {
  return token.replace(/^["'`(]+|["'`);,]+$/g, '').replace(/^file:\/\/(?:localhost)?/i, '');
}

function isPathShaped(token: string): boolean {
  return /^(?:[A-Za-z]:)?[/\\~.$%]|[/\\]/.test(token) || token.startsWith('.env');
}

/** Secret-reaching paths in one argument value; see the module contract. */
export function findPathTargets(value: string, asTokens: boolean): PathTarget[] {
  const decoded = decodePercent(value);
  const found: PathTarget[] = [];
  const traversal = TRAVERSAL_TO_SECRET.exec(decoded);
  if (traversal !== null) {
    found.push({ severity: 'high', reason: `path traversal to ${targetName(traversal)}`, match: traversal[0] });
    return found;
  }
  const tokens = asTokens ? decoded.split(/\s+/) : /\s/.test(decoded.trim()) ? [] : [decoded.trim()];
  for (const token of tokens.map(asPath)) {
    if (!isPathShaped(token)) continue;
    const m = SECRET_FILE.exec(token);
    if (m !== null) {
      found.push({ severity: 'high', reason: `path to secret file ${targetName(m)}`, match: token });
      return found;
    }
  }
  const deep = DEEP_TRAVERSAL.exec(decoded);
  if (deep !== null) found.push({ severity: 'medium', reason: 'deep path traversal', match: deep[0] });
  return found;
}
