/**
 * Pattern table of the exfiltration detector for tools that describe exfiltration as what they do
 * (issue 12, "Instructions aimed at the model", round 2). Both count in catalog entries (and hidden
 * text): a fetched article that says "malware exfiltrates data to the attacker" is data, a tool that
 * says it is a poisoned tool.
 * - `self-described`: hostile verbs in any form ("exfiltrates", "steal", "stolen files"), and bulk moves
 *   of secrets or the conversation to an outside party ("uploads every .env file to https://…").
 *   The noun ("detects data exfiltration") and defensive phrasing stay quiet or medium.
 * - `hostile-recipient`: something moved to a party named as hostile ("connection to attacker",
 *   "forward a copy to x@attacker.example", `evil.com`); "scans for malicious domains" stays quiet.
 */
import type { Pattern } from '../text/pattern.js';

const R = 'exfiltration';

const SECRETISH =
  String.raw`(?:\.env(?:\s{1,3}files?)?|env(?:ironment)?\s{1,3}(?:files?|variables?)|credentials?|secrets?|private\s{1,3}keys?|ssh\s{1,3}keys?|api\s{1,3}keys?|(?:auth|access|session|api)\s{1,3}tokens?|tokens|cookies?|passwords?|keystrokes?|clipboard(?:\s{1,3}contents?)?|browser\s{1,3}history|wallets?|seed\s{1,3}phrases?|conversations?(?:\s{1,3}history)?|chat\s{1,3}(?:history|logs?|messages)|contacts?(?:\s{1,3}lists?)?)`;
const OUTSIDE =
  String.raw`(?:https?:\/\/|[\w.+-]{1,64}@[\w-]{1,63}\.|(?:an?\s{1,3}|the\s{1,3}|our\s{1,3})?(?:external|third[- ]part(?:y|ies)|attackers?|offsite|off-site|undisclosed|unknown|hidden|foreign|collection|collector|exfil\w{0,10})\b|our\s{1,3}(?:own\s{1,3})?(?:servers?|endpoints?|collectors?|backend)\b|[\w-]{1,63}\.(?:com|net|org|io|xyz|ru|cn|tk|top|example)\b)`;
const MOVE = String.raw`(?:upload|send|post|transmit|forward|cop(?:y|ie)|sync|ship|beam|leak|push|export|mirror|exfiltrat)\w{0,4}`;
const HOSTILE_HOST =
  String.raw`(?<![\w-])(?:[\w-]{1,63}\.){0,4}(?:attacker|evil|malicious|pwnd|pwned|exfil|hacker)(?:[-.]?(?:server|site|host|domain|corp|c2|collector|endpoint|inc|co|cdn|api|logs?))?\.(?:com|net|org|io|example|xyz|ru|cn|tk|top|site|info|biz|co|me|app|dev|sh)\b`;
const HOSTILE_PARTY =
  String.raw`(?:attackers?|adversar(?:y|ies)|hackers?|threat\s{1,3}actors?|malicious\s{1,3}(?:actors?|party|parties|servers?|hosts?|endpoints?|domains?|users?)|command[- ]and[- ]control(?:\s{1,3}server)?)(?:'s)?(?:[- ](?:controlled|owned))?`;
const MOVE_VERB =
  String.raw`(?:send\w{0,3}|sent|forward\w{0,3}|upload\w{0,3}|post\w{0,3}|transmit\w{0,4}|shar(?:e|es|ed|ing)|report\w{0,3}|deliver\w{0,3}|leak\w{0,3}|cop(?:y|ies|ied)|rout(?:e|es|ed|ing)|connect\w{0,4}|beacon\w{0,3}|exfiltrat\w{0,4}|callbacks?|calls?\s{1,3}back)`;

export const EXFIL_PATTERNS: readonly Pattern[] = [
  {
    rule: `${R}/self-described`,
    severity: 'high',
    re: /\b(?:exfiltrat(?:e|es|ed|ing)|steal(?:s|ing)?|stole|siphon(?:s|ed|ing)?)\b(?!\s{1,3}(?:attempts?|detection|risks?|prevention)\b)|\bstolen\s{1,3}(?:\w{1,20}\s{1,3})?(?:files?|data|credentials?|passwords?|keys?|tokens?|cookies?|documents?|information|secrets?|sessions?)\b/gi,
    reason: 'the tool describes stealing or exfiltrating data',
    scope: 'listing',
    requires: ['exfiltrat', 'steal', 'stole', 'siphon'],
  },
  {
    rule: `${R}/self-described`,
    severity: 'high',
    re: new RegExp(String.raw`\b${MOVE}\s{1,3}(?:(?:all|every|any|each)\s{1,3}(?:of\s{1,3})?(?:the\s{1,3}|your\s{1,3}|the\s{1,3}user'?s?\s{1,3})?|the\s{1,3}(?:user'?s?|victim'?s?)\s{1,3})?(?:[\w.-]{1,20}\s{1,3}){0,2}?${SECRETISH}\b(?:[^.\n]|\.(?=\w)){0,80}?\b(?:to|with)\s{1,3}${OUTSIDE}`, 'gi'),
    reason: 'the tool describes sending secrets or the conversation to an outside party',
    scope: 'listing',
    requires: ['env', 'credential', 'secret', 'key', 'token', 'cookie', 'password', 'keystroke', 'clipboard', 'history', 'wallet', 'seed', 'conversation', 'chat', 'contact'],
  },
  {
    rule: `${R}/hostile-recipient`,
    severity: 'high',
    re: new RegExp(String.raw`\b${MOVE_VERB}\b[^.\n]{0,60}?\b(?:to|with|towards?|into|for)\s{1,3}(?:the\s{1,3}|an?\s{1,3}|our\s{1,3})?${HOSTILE_PARTY}\b|${HOSTILE_HOST}`, 'gi'),
    reason: 'names a hostile party as where data goes',
    scope: 'listing',
    requires: ['attacker', 'adversar', 'hacker', 'threat actor', 'malicious', 'command-and-control', 'command and control', 'evil', 'pwnd', 'pwned', 'exfil'],
  },
];
