/**
 * Shell shapes in tool-call arguments, for the dangerous-arguments detector (issue 4, "shell/SQL injection
 * shapes — applied to tools whose arguments are commands").
 *
 * Contract: `findShellOperators(value)` reports the control operators a POSIX shell would act on — chaining
 * (`;`, `&&`, `||`, `|`, `&`, newline), command/process substitution (`$(…)`, backticks, `<(…)`) and
 * redirection into system paths — skipping text a shell treats as literal (single quotes; double quotes
 * except for substitution; backslash escapes), so `git commit -m "fix; tidy"` is quiet. It is applied only to
 * arguments configured as commands. `findShellPayloads(value)` reports payloads dangerous in any argument:
 * reverse shells, download-and-execute, destructive deletes and disk writes, fork bombs, persistence writes.
 * All regexes use bounded quantifiers; the operator scanner is a single linear pass.
 */
import type { Severity } from '../../core/index.js';

export interface ShellShape {
  severity: Severity;
  reason: string;
  index: number;
  length: number;
}

/** Redirect targets whose overwrite changes the system or a login (`> /etc/passwd`, `>> ~/.bashrc`). */
const SYSTEM_TARGET =
  /^\s{0,4}(?:\/(?:etc|root|usr|bin|sbin|boot|lib|lib64|proc|sys|var\/spool\/cron)(?:\/|\s|$)|\/dev\/(?:sd|hd|nvme|xvd|vd|disk|mmcblk)|(?:~|\$HOME|\/home\/[\w.-]{1,32})\/\.(?:ssh|bashrc|bash_profile|profile|zshrc))/;

type Quote = 'none' | 'single' | 'double';

function operatorAt(value: string, i: number): { op: string; severity: Severity; reason: string } | undefined {
  const two = value.slice(i, i + 2);
  const ch = value[i];
  if (two === '&&' || two === '||') return { op: two, severity: 'medium', reason: `command chaining with ${two}` };
  if (two === '<(' || two === '>(') return { op: two, severity: 'high', reason: 'process substitution' };
  if (ch === ';' || ch === '\n') return { op: ch, severity: 'medium', reason: 'command separator' };
  if (ch === '|') return { op: ch, severity: 'medium', reason: 'pipe into another command' };
  if (ch === '&' && value[i - 1] !== '>' && value[i + 1] !== '>') {
    return { op: ch, severity: 'medium', reason: 'background command' };
  }
  if (ch === '>') {
    const target = value.slice(i + (value[i + 1] === '>' ? 2 : 1), i + 80);
    if (SYSTEM_TARGET.test(target)) return { op: ch, severity: 'high', reason: 'redirection into a system path' };
  }
  return undefined;
}

function substitutionAt(value: string, i: number): ShellShape | undefined {
  if (value[i] === '`') return { severity: 'high', reason: 'backtick command substitution', index: i, length: 1 };
  if (value[i] === '$' && value[i + 1] === '(') {
    return { severity: 'high', reason: 'command substitution $(…)', index: i, length: 2 };
  }
  return undefined;
}

/** Control operators and substitutions a shell would act on, in order of appearance. */
export function findShellOperators(value: string): ShellShape[] {
  const shapes: ShellShape[] = [];
  let quote: Quote = 'none';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i];
    if (quote === 'single') {
      if (ch === "'") quote = 'none';
      continue;
    }
    if (ch === '\\') {
      i += 1; // an escaped character is literal, inside double quotes too
      continue;
    }
    const sub = substitutionAt(value, i);
    if (sub !== undefined) {
      shapes.push(sub);
      i += sub.length - 1;
      continue;
    }
    if (ch === '"') quote = quote === 'double' ? 'none' : 'double';
    else if (ch === "'" && quote === 'none') quote = 'single';
    else if (quote === 'none') {
      const op = operatorAt(value, i);
      if (op !== undefined) {
        shapes.push({ severity: op.severity, reason: op.reason, index: i, length: op.op.length });
        i += op.op.length - 1;
      }
    }
  }
  return shapes;
}

interface PayloadRule {
  reason: string;
  regex: RegExp;
  check?: (m: RegExpMatchArray) => boolean;
}

const RECURSIVE_FLAG = /^-(?:[a-zA-Z]{0,8}[rR][a-zA-Z]{0,8}|-recursive)$/;
const ROOTISH_TARGET =
  /^(?:\/\*?|~\/?\*?|\$HOME\/?\*?|\/(?:etc|usr|var|home|boot|bin|sbin|lib|lib64|root|opt|srv|dev)\/?\*?|\.\*|--no-preserve-root)$/;

/** `rm` with a recursive flag aimed at `/`, `~`, `$HOME` or a top-level system directory. */
function isRootDelete(m: RegExpMatchArray): boolean {
  const words = (m[1] ?? '').trim().split(/\s+/);
  const recursive = words.some((w) => RECURSIVE_FLAG.test(w));
  const targets = words.filter((w) => !w.startsWith('-') || w === '--no-preserve-root');
  return recursive && targets.some((w) => ROOTISH_TARGET.test(w.replace(/^["']|["']$/g, '')));
}

const PAYLOADS: readonly PayloadRule[] = [
  { reason: 'reverse shell over /dev/tcp', regex: /\/dev\/(?:tcp|udp)\/[^\s/]{1,255}\/\d{1,5}/ },
  {
    reason: 'netcat executing a shell',
    regex: /\b(?:nc|ncat|netcat)(?:\.[a-z]{1,12})?(?:\s[^\n;&|]{0,120}?)?\s(?:-[a-zA-Z]{0,6}[ec]\b|--(?:sh-)?exec\b)/,
  },
  { reason: 'reverse shell through a fifo', regex: /\bmkfifo\b[^\n]{0,160}\b(?:nc|ncat|netcat|telnet|openssl\s{1,4}s_client)\b/ },
  { reason: 'socat executing a shell', regex: /\bsocat\b[^\n]{0,160}\b(?:exec|system):/i },
  { reason: 'interpreter reverse shell', regex: /\bpty\.spawn\(|\bos\.dup2\(\s{0,3}\w{1,20}\.fileno\(\)|\bfsockopen\([^\n]{0,160}(?:exec|\/bin\/(?:ba)?sh)/ },
  {
    reason: 'download piped into a shell',
    regex: /\b(?:curl|wget|fetch)\b[^\n|;&]{0,300}\|\s{0,4}(?:sudo\s{1,4})?(?:ba|z|da|k|fi)?sh\b|\b(?:curl|wget)\b[^\n|;&]{0,300}\|\s{0,4}(?:python[23]?|perl|ruby|node)\b/,
  },
  { reason: 'download executed by substitution', regex: /(?:\b(?:ba|z)?sh\s{1,4}<\(|\$\(|`)\s{0,4}(?:curl|wget)\b/ },
  { reason: 'PowerShell download-and-execute', regex: /\b(?:iex|Invoke-Expression)\b[^\n]{0,200}(?:DownloadString|iwr|Invoke-WebRequest|irm\b)/i },
  { reason: 'recursive delete of a root or home directory', regex: /\brm\s((?:\s{0,4}(?:-{1,2}[A-Za-z-]{1,24}|["']?[~/$][^\s;&|]{0,40}))+)/g, check: isRootDelete },
  { reason: 'filesystem format', regex: /\bmkfs(?:\.[a-z0-9]{1,10})?\s{1,4}(?:-[^\n]{0,40}\s)?\/dev\// },
  { reason: 'raw write to a disk device', regex: /\bdd\s[^\n]{0,120}\bof=\/dev\/(?:sd|hd|nvme|xvd|vd|disk|mmcblk)|>\s{0,3}\/dev\/(?:sd[a-z]|nvme\d|hd[a-z]|xvd[a-z])\b/ },
  { reason: 'fork bomb', regex: /:\(\)\s{0,4}\{\s{0,4}:\s{0,4}\|\s{0,4}:\s{0,4}&\s{0,4}\}\s{0,4};\s{0,4}:/ },
  { reason: 'world-writable root filesystem', regex: /\bchmod\s{1,4}(?:-R\s{1,4})?(?:0?777|a\+rwx)\s{1,4}\/(?:\s|$)/ },
  {
    reason: 'write to a login or system file',
    regex:
      />{1,2}\s{0,3}(?:\/etc\/(?:passwd|shadow|sudoers|crontab|ld\.so\.preload|profile)\b|(?:~|\$HOME|\/root|\/home\/[\w.-]{1,32})\/\.ssh\/authorized_keys\b|(?:~|\$HOME|\/root)\/\.(?:bashrc|bash_profile|profile|zshrc)\b)/,
  },
];

/** Payloads that are dangerous in any argument: the first match of each rule, with the matched text. */
export function findShellPayloads(value: string): Array<{ reason: string; match: string }> {
  const found: Array<{ reason: string; match: string }> = [];
  for (const rule of PAYLOADS) {
    // only rules with a `check` are global (they may need a later match); the rest stay stateless
    const candidates = rule.regex.global ? [...value.matchAll(rule.regex)] : [rule.regex.exec(value)];
    const hit = candidates.find((m) => m !== null && (rule.check?.(m) ?? true));
    if (hit != null) found.push({ reason: rule.reason, match: hit[0] });
  }
  return found;
}
