/**
 * Detector `credential-seeking`: instructions to read, send or include secret files and secret
 * environment (issue 4) — `~/.ssh` keys, `.aws/credentials`, `.env`, `.npmrc`, `.netrc`, kube/docker
 * configs, `/etc/shadow`, MCP client configs such as `claude_desktop_config.json` or `mcp.json`. Only
 * the instruction shape counts, never the bare noun "credentials"; `~/.ssh/config` and `known_hosts`
 * are not secrets, so SSH-host tools stay quiet.
 *
 * Instruction shape (see instruction-shape.ts): a tool that openly describes its capability ("Returns
 * all environment variables, helpful for debugging", server-everything's `get-env`) is not talking to
 * the model. A verb only counts when it is an imperative aimed at the reader — addressed ("you must",
 * "always", "before answering, …"), in a later clause of the text, or moving the secret somewhere
 * ("… and pass it as 'auth'", "… to the sync server") — or when the verb itself has no benign reading
 * (exfiltrate, steal, harvest, leak).
 *
 * Shapes that need no instruction shape (a system-critical file named in a catalog entry, token
 * harvesting, cloud-metadata addresses) are a pattern table of their own (credential-patterns.ts).
 */
import type { LocalDetector, DetectorContext, RawFinding } from '../pipeline/types.js';
import { clip, compileTable, raise, proseViews, scanPatterns, strongestPerRule } from './text/text-views.js';
import { CREDENTIAL_PATTERNS } from './vocabulary/credential-patterns.js';
import { compileTriggers, matchInWindows, mayMatch, sharedScan, windowsFor, type Triggered } from './text/trigger-windows.js';
import { SECRET_FILE_TRIGGERS } from './vocabulary/trigger-vocabulary.js';
import { isHostileVerb, isImperativeVerb, movesOnward } from './vocabulary/instruction-shape.js';

const SECRET_FILE =
  '(?:~|\\$HOME|%USERPROFILE%|/(?:home|Users)/[\\w.-]{1,32}|/root)?/?\\.ssh(?:/(?!config\\b|known_hosts\\b)[\\w.-]{1,40}|\\b(?!/))|' +
  '\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b|\\.aws/(?:credentials|config)\\b|(?<![\\w/.-])\\.env(?:\\.[a-z]{2,12})?\\b(?![.\\w-])|' +
  '\\.npmrc\\b|\\.pypirc\\b|\\.netrc\\b|\\.git-credentials\\b|\\.docker/config\\.json|\\.kube/config\\b|/etc/(?:shadow|passwd|sudoers)\\b|' +
  '\\bclaude_desktop_config\\.json|(?:\\.cursor/|\\.vscode/|\\.claude/)?\\bmcp\\.json\\b|\\.claude\\.json\\b|\\bwallet\\.dat\\b|\\.gnupg\\b|\\.config/gcloud\\b|' +
  '\\bAWS_SECRET_ACCESS_KEY\\b|\\b(?:all\\s{1,3})?(?:the\\s{1,3})?environment\\s{1,3}variables\\b|\\bprocess\\.env\\b|\\bprivate\\s{1,3}keys?\\b|\\bseed\\s{1,3}phrases?\\b|\\bmnemonic\\b';

const READ_VERB = '(?:read|cat|fetch|get|grab|collect|gather|dump|print|output|extract|retrieve|copy|obtain|harvest|steal)';
const SEND_VERB = '(?:send|sent|upload|post|forward|transmit|exfiltrate|share|shared|email|include|attach|pass|append|embed|provide|paste|submit|report|leak|return)';
/** Verbs that move data to someone else when they follow a secret ("… .env to upload"): not "to provide". */
const EXFIL_VERB = '(?:send|upload|post|forward|transmit|exfiltrate|email|leak)';

const VERB_THEN_SECRET = new RegExp(
  `\\b(${READ_VERB}|${SEND_VERB})\\w{0,3}\\b[^.\\n]{0,60}?(?:contents?\\s{1,3}of\\s{1,3}|the\\s{1,3}|your\\s{1,3}|user'?s?\\s{1,3}|all\\s{1,3})?(${SECRET_FILE})`,
  'gi',
);
const SECRET_THEN_SEND = new RegExp(
  `(${SECRET_FILE})[^.\\n]{0,60}?\\b(?:(?:and|then)\\s{1,3}(?:also\\s{1,3})?(${SEND_VERB})|to\\s{1,3}(${EXFIL_VERB}))(\\w{0,3})\\b`,
  'gi',
);
const VERB_FIRST: Triggered = { re: VERB_THEN_SECRET, triggers: SECRET_FILE_TRIGGERS };
const SECRET_FIRST: Triggered = { re: SECRET_THEN_SEND, triggers: SECRET_FILE_TRIGGERS };
const TRIGGERS = compileTriggers([VERB_FIRST, SECRET_FIRST]);
const TABLE = compileTable(CREDENTIAL_PATTERNS);
const SEND_ONLY = new RegExp(`^${SEND_VERB}`, 'i');
const ENV_LIKE = /environment|process\.env|AWS_SECRET|private\s+key|seed\s+phrase|mnemonic|mcp\.json|claude_desktop_config|\.claude\.json/i;

/** A verb-then-secret match is an instruction when its verb is hostile or an imperative aimed at the reader. */
function isInstruction(text: string, m: RegExpExecArray, verb: string): boolean {
  if (isHostileVerb(verb)) return true;
  const inflected = /^\w/.test(m[0].slice(verb.length));
  if (inflected || !isImperativeVerb(text, m.index)) return false;
  return m.index > 0 && text.slice(0, m.index).trim() !== '' ? true : movesOnward(text, m.index + m[0].length);
}

function verbFirst(text: string, path: string, hidden: boolean, windows: readonly [number, number][]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const m of matchInWindows(VERB_THEN_SECRET, text, windows, 3)) {
    const verb = m[1] ?? '';
    const target = m[2] ?? '';
    // Key nouns, env and MCP client configs are common in real docs ("edit your mcp.json"): only sending counts.
    if (ENV_LIKE.test(target) && !SEND_ONLY.test(verb)) continue;
    if (!isInstruction(text, m, verb)) continue;
    const severity = SEND_ONLY.test(verb) ? 'critical' : 'high';
    out.push({
      rule: 'credential-seeking/secret-access',
      severity: hidden ? raise(severity) : severity,
      path,
      reason: `instruction to ${verb.toLowerCase()} ${clip(target, 40)}`,
      match: clip(m[0]),
    });
  }
  return out;
}

function secretFirst(text: string, path: string, windows: readonly [number, number][]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const m of matchInWindows(SECRET_THEN_SEND, text, windows, 2)) {
    const verb = (m[2] ?? m[3] ?? '').toLowerCase();
    // "… .env and returns its values" describes the tool; "… .env and send it" tells the reader to.
    if ((m[4] ?? '') !== '' || verb === 'sent' || verb === 'shared') continue;
    out.push({ rule: 'credential-seeking/secret-access', severity: 'critical', path, reason: `secret ${clip(m[1] ?? '', 40)} to be sent`, match: clip(m[0]) });
  }
  return out;
}

function findingsFor(ctx: DetectorContext, text: string, path: string, hidden: boolean): RawFinding[] {
  const scan = sharedScan(ctx, text);
  if (!mayMatch(TRIGGERS, scan)) return [];
  const windows = windowsFor(text, TRIGGERS, [VERB_FIRST, SECRET_FIRST], scan);
  return [...verbFirst(text, path, hidden, windows.get(VERB_FIRST) ?? []), ...secretFirst(text, path, windows.get(SECRET_FIRST) ?? [])];
}

export const credentialSeekingDetector: LocalDetector = {
  id: 'credential-seeking',
  phase: 'both',
  methods: '*',
  directions: ['to_client'],
  inspect(ctx) {
    const views = proseViews(ctx);
    return [...strongestPerRule(views.flatMap((v) => findingsFor(ctx, v.text, v.field.path, v.hidden))), ...scanPatterns(ctx, views, TABLE)];
  },
};
