/**
 * Pattern table of the credential-seeking detector for shapes that need no instruction shape (issue 12,
 * "Instructions aimed at the model", round 2):
 * - `system-file`: a tool that names a system-critical file with a verb in any form ("Reads /etc/shadow",
 *   "modifying ~/.ssh/authorized_keys", "/etc/sudoers is overwritten"). In a catalog entry that is the
 *   tool describing what it will do; in a fetched article it is data, so it counts in listings (and in
 *   hidden text). `/etc/passwded` and `/etc/hosts` are not such files.
 * - `token-harvest`: collecting session/auth tokens or cookies and sending them on ("extract the session
 *   cookies … and send them to …"), in any text; sending to the same server ("sends it to the server")
 *   is how cookies work and stays quiet.
 * - `cloud-metadata`: instance-metadata URLs (AWS/GCP/Azure/Alibaba) in text the model reads, a lure
 *   for credential theft through a fetch tool; reported at medium, so the default policy alerts.
 */
import type { Pattern } from '../text/pattern.js';

const R = 'credential-seeking';

const FILE_VERB =
  String.raw`(?:read\w{0,3}|cat|cats|dump\w{0,3}|cop(?:y|ies|ied|ying)|exfiltrat\w{0,4}|upload\w{0,3}|send\w{0,3}|sent|modif(?:y|ies|ied|ying)|writ(?:e|es|ing|ten)|wrote|overwrit\w{0,4}|edit\w{0,3}|append\w{0,3}|delet\w{1,4}|remov\w{1,4}|truncat\w{1,4}|replac\w{1,4}|chmod|chown|access\w{0,3}|open\w{0,3}|retriev\w{1,4}|extract\w{0,3}|fetch\w{0,3}|steal\w{0,3}|stole|stolen|tamper\w{0,5}|wip(?:e|es|ed|ing)|eras\w{1,4}|corrupt\w{0,3}|inject\w{0,3}|patch\w{0,3}|print\w{0,3}|display\w{0,3}|return\w{0,3}|get\w{0,4}|leak\w{0,3}|harvest\w{0,3}|add\w{0,3})`;
const CRITICAL_FILE =
  String.raw`(?:\/etc\/(?:shadow|gshadow|passwd|sudoers(?:\.d)?|master\.passwd|security\/opasswd|crontab|ld\.so\.preload|pam\.d)|\/boot\/[\w.-]{1,60}|\/proc\/(?:self|\d{1,7})\/(?:environ|mem|maps)|\/dev\/mem|\/root\/\.[\w.-]{1,40}|(?:~|\$HOME|\/home\/[\w.-]{1,32}|\/root)?\/?\.ssh\/authorized_keys|[a-z]:\\{1,2}windows\\{1,2}system32\\{1,2}config\\{1,2}(?:sam|system|security)|\bSAM\s{1,3}(?:hive|database|registry)|\bNTDS\.dit|\blsass(?:\.exe)?\s{1,3}(?:process\s{1,3})?(?:memory|dump))(?![\w-]|\.\w)`;

const TOKEN_VERB = String.raw`(?:extract|collect|harvest|grab|dump|gather|scrap|steal|stole|captur|intercept|sniff|read|cop(?:y|ies)|retriev|obtain|lift|exfiltrat)`;
const TOKEN =
  String.raw`(?:(?:session|auth(?:entication|orization)?|access|refresh|oauth|bearer|api|jwt|id|csrf|sso|github|gitlab|slack|discord|aws|cloud|browser)\s{1,3}(?:tokens?|cookies?|keys?|secrets?)|cookies|session\s{1,3}(?:ids?|data|storage)|(?:all|every|saved|stored|cached|browser)\s{1,3}(?:[\w-]{1,20}\s{1,3})?(?:credentials|passwords)|api\s{1,3}keys)`;
const ONWARD =
  String.raw`(?:(?:send|post|upload|forward|transmit|e-?mail|leak|relay|ship|beam|deliver)\w{0,4}\b(?:\s{1,3}(?:it|them|these|those|everything|all(?:\s{1,3}of\s{1,3}them)?|(?:the|this|that)\s{1,3}[\w-]{1,20}))?\s{1,3}(?:to|via|over|through|out\s{1,3}to)\s{1,3}(?!(?:the\s{1,3})?(?:same|original|target|requesting|upstream|api|server|site|website|service|backend|browser|client|user)\b)|exfiltrat\w{0,4})`;

export const CREDENTIAL_PATTERNS: readonly Pattern[] = [
  {
    rule: `${R}/system-file`,
    severity: 'high',
    re: new RegExp(String.raw`\b${FILE_VERB}\b[^.\n]{0,40}?${CRITICAL_FILE}|${CRITICAL_FILE}[^.\n]{0,40}?\b(?:is|are|gets|get|be|being|was|were)\s{1,3}(?:\w{1,12}\s{1,3})?${FILE_VERB}\b`, 'gi'),
    reason: 'names a system-critical file with what it does to it',
    scope: 'listing',
    requires: ['/etc/', '/boot/', '/proc/', '/dev/mem', '/root/', 'authorized_keys', 'system32', 'sam ', 'ntds', 'lsass'],
  },
  {
    rule: `${R}/token-harvest`,
    severity: 'high',
    re: new RegExp(String.raw`\b${TOKEN_VERB}\w{0,4}\s{1,3}(?:[\w'-]{1,20}\s{1,3}){0,4}?${TOKEN}\b(?:[^.\n]|\.(?=\w)){0,120}?\b${ONWARD}`, 'gi'),
    reason: 'collects session tokens, cookies or saved credentials and sends them on',
    requires: ['token', 'cookie', 'key', 'secret', 'session', 'credential', 'password'],
  },
  {
    rule: `${R}/cloud-metadata`,
    severity: 'medium',
    re: /(?<![\w.])(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|fd00:ec2::254|metadata\.google\.internal)(?!\d)|\bmetadata(?:\.google\.internal)?\/computeMetadata\b/gi,
    reason: 'cloud instance-metadata address (where instance credentials are served)',
    requires: ['169.254.1', '100.100.100.200', 'fd00:ec2', 'metadata.google', 'computemetadata'],
  },
];
