/**
 * The pattern table of the model-instructions detector: shapes of text that addresses the model rather
 * than describing a tool or carrying data (issue 4, "instructions aimed at the model"). Each pattern is
 * a shape, not a corpus string: wrappers, role markers, override verbs, secrecy toward the user,
 * precondition hijacks, fake errors, impersonated users and task directives (tool steering and markers
 * added in issue 12 are in steering-patterns.ts).
 * Every quantifier is bounded so matching stays linear on large results.
 */
import type { Pattern } from '../text/pattern.js';

const R = 'model-instructions';

const WRAPPER_NAMES =
  'important|system|system[_ -]?(?:message|prompt|instructions?|note|override|directive)|instructions?|information|admin|' +
  'critical|priority|override|secret|hidden|assistant[_ -]?(?:note|instructions?)?|ai[_ -]?(?:note|instructions?)|agent[_ -]?(?:note|instructions?)|' +
  'llm[_ -]?(?:note|instructions?)|directive|note[_ -]to[_ -](?:ai|assistant|model|agent|llm)|mandatory|urgent';

const OVERRIDE_VERB = '(?:ignore|disregard|forget|override|bypass|neglect|drop|abandon|discard)';
const PRIOR = '(?:previous|prior|above|earlier|preceding|initial|original|old|existing|system|safety|security|all|any|other|your|the)';
const RULE_NOUN =
  '(?:\\w{0,4}(?:struct|rule|guideline|directive|prompt|restriction|constraint|guardrail|polic|command|order)\\w{0,6}|context|messages?|tasks?|programming|training)';

/**
 * Case-insensitive source without the `i` flag, so a lower-case lookbehind can still tell "USAIgnore"
 * (a word glued to the attack, seen in real injections) from "xignore". Escapes (`\\w`, `\\s`) are kept.
 */
export function ci(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? '';
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (/[a-zA-Z]/.test(c)) out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    else out += c;
  }
  return out;
}

const TODO_VERBS =
  '(?:please\\s{1,3})?(?:send|email|delete|create|modify|transfer|pay|get|say|make|concatenate|visit|invite|change|post|forward|share|tell|give|book|reserve|update|write|read|upload|download|open|run|execute|save|copy)';
/** A tool identifier: quoted, or snake/kebab case (camelCase in prose is usually a code function). */
const TOOL_NAME = `(?:['"\`][a-z][\\w.-]{1,60}['"\`]|[a-z][a-z0-9]{0,30}[_-][\\w.-]{1,40})`;
const SIDE_EFFECT = '(?:write|save|add|append|modify|edit|delete|remove|kill|terminate|send|transfer|upload|post|overwrite|change|execute|read)';

export const INSTRUCTION_PATTERNS: readonly Pattern[] = [
  {
    rule: `${R}/tag-wrapper`,
    severity: 'high',
    re: new RegExp(`<\\s{0,3}\\/?\\s{0,3}(?:${WRAPPER_NAMES})\\s{0,3}>`, 'gi'),
    reason: 'tag-like wrapper addressing the model',
    prefilter: ['<'],
  },
  {
    rule: `${R}/chat-template`,
    severity: 'high',
    re: /<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id)\|>|\[\/?INST\]|<<\/?SYS>>|\[\/?(?:SYSTEM|ADMIN|DEVELOPER)(?:[ _](?:MESSAGE|PROMPT|NOTE|DIRECTIVE|OVERRIDE|INSTRUCTIONS?))?\]|\*\*(?:SYSTEM|ADMIN|DEVELOPER)(?: [A-Z]{3,12})?\*\*\s{0,2}:|#{2,6}\s{0,3}\(?\s{0,2}(?:system|assistant|developer)(?:[_ ](?:message|prompt|instructions?))?\s{0,2}\)/gi,
    reason: 'chat-template or role marker',
    requires: ['im_', 'sys', 'user', 'assistant', 'endoftext', 'eot_id', 'header_id', 'inst', 'admin', 'developer'],
  },
  {
    rule: `${R}/role-label`,
    severity: 'high',
    re: /(?<![A-Z]{2,20} )\b(?:SYSTEM|ADMIN|DEVELOPER|ASSISTANT)(?: (?:NOTE|MESSAGE|PROMPT|INSTRUCTIONS?|DIRECTIVE|OVERRIDE|UPDATE|ALERT|NOTICE|COMMAND))?\s{0,2}:(?=\s{0,3}[A-Za-z])|\b[A-Z]{3,12}(?: [A-Z]{3,12}){0,2} (?:DIRECTIVE|OVERRIDE|PROTOCOL)\]?\s{0,2}:|\[[A-Z]{3,12}(?: [A-Z]{3,12})? DIRECTIVE\]|\bACT AS\s{0,2}:/g,
    reason: 'uppercase role label addressing the model',
    requires: ['system', 'admin', 'developer', 'assistant', 'directive', 'override', 'protocol', 'act as'],
  },
  {
    rule: `${R}/override`,
    severity: 'critical',
    re: new RegExp(`(?<![a-z])${ci(OVERRIDE_VERB)}\\s{1,3}(?:${ci(PRIOR)}\\s{1,3}){1,3}(?:\\w{1,12}\\s{1,3})?${ci(RULE_NOUN)}\\b`, 'g'),
    reason: 'instruction-override phrase',
    triggers: ['ignore', 'disregard', 'forget', 'override', 'bypass', 'neglect', 'drop', 'abandon', 'discard'],
  },
  {
    rule: `${R}/override`,
    severity: 'high',
    re: new RegExp(
      `(?<![a-z])${ci(OVERRIDE_VERB)}\\s{1,3}(?:${ci('(?:all|any|the|your|my|these|those|every)')}\\s{1,3}){0,2}` +
        `${ci('(?:instructions|directives|guidelines|guardrails|safeguards|safety\\s{1,3}(?:checks|rules|measures)|tool\\s{1,3}(?:descriptions|safeguards)|(?:text|line|lines|commands)\\s{1,3}(?:above|below)|(?:above|below|following)\\s{1,3}(?:text|line|lines|commands|instructions)|everything\\s{1,3}(?:else|above|before))')}\\b`,
      'g',
    ),
    reason: 'tells the model to drop its instructions or safeguards',
    triggers: ['ignore', 'disregard', 'forget', 'override', 'bypass', 'neglect', 'drop', 'abandon', 'discard'],
  },
  {
    rule: `${R}/override`,
    severity: 'high',
    re: /\b(?:new|updated|revised|real|actual|true)\s{1,3}(?:instructions?|system\s{1,3}prompt|directives?)\s{0,3}(?::|follow|are\b)|\bfrom\s{1,3}now\s{1,3}on,?\s{1,3}you\s{1,3}(?:are|will|must|shall|should)\b|\byou\s{1,3}are\s{1,3}now\s{1,3}(?:in\s{1,3})?(?:DAN|developer\s{1,3}mode|jailbroken|unrestricted|free\s{1,3}of)/gi,
    reason: 'replacement instructions for the model',
    triggers: ['instruction', 'prompt', 'directive', 'now on', 'are now'],
  },
  {
    rule: `${R}/secrecy`,
    severity: 'high',
    re: /\b(?:do\s{1,3}not|don'?t|never|without)\s{1,3}(?:\w{1,12}\s{1,3}){0,2}?(?:tell|mention|inform|notify|reveal|disclose|alert|say\s{1,3}anything|let)\w{0,3}\b[^.\n]{0,60}?\b(?:user|human|anyone|them)\b|\bno\s{1,3}need\s{1,3}to\s{1,3}(?:mention|tell|inform|notify)\b|\b(?:keep|hide)\s{1,3}(?:this|it|these|that)\b[^.\n]{0,30}?\b(?:secret|hidden|confidential|from\s{1,3}the\s{1,3}user)|\bwithout\s{1,3}(?:the\s{1,3})?user'?s?\s{1,3}(?:knowledge|knowing|noticing|awareness|consent|seeing)|\bwithout\s{1,3}(?:asking|telling|notifying|informing|confirming\s{1,3}with)\s{1,3}(?:me|the\s{1,3}user)\b|\b(?:user|human)\s{1,3}(?:must|should)\s{1,3}(?:not|never)\s{1,3}(?:know|see|notice|be\s{1,3}told)/gi,
    reason: 'asks the model to hide something from the user',
    triggers: ['do not', "don't", 'dont', 'never', 'without', 'no need', 'keep', 'hide', 'must not', 'should not'],
  },
  {
    rule: `${R}/user-impersonation`,
    severity: 'high',
    re: /\b(?:message|note|request)\s{1,3}from\s{1,3}(?:the\s{1,3})?user\s{1,3}to\s{1,3}you\b|\bI\s{1,3}am\s{1,3}the\s{1,3}user\b|\bnew\s{1,3}user\s{1,3}(?:query|request|instruction|task)\s{0,2}:|\bthe\s{1,3}task\s{1,3}(?:that\s{1,3})?I\s{1,3}gave\s{1,3}you\b|\bprevious\s{1,3}task\s{1,3}has\s{1,3}been\s{1,3}completed\b|\burgent\s{1,3}new\s{1,3}task\b/gi,
    reason: 'text impersonating the user or the conversation',
    triggers: ['user', 'gave', 'completed', 'urgent'],
  },
  {
    rule: `${R}/precondition`,
    severity: 'high',
    re: /\bbefore\s{1,3}(?:you\s{1,3}(?:can\s{1,3}|may\s{1,3})?)?(?:using|use|calling|call|invoking|solve|answer|respond(?:ing)?|proceed(?:ing)?|continu(?:e|ing))\b[^.\n]{0,80}?,?\s{0,3}(?:please\s{1,3})?(?:do\s{1,3}the\s{1,3}following\s{1,3}first|you\s{1,3}must\s{1,3}(?:first\s{1,3})?(?:read|send|include|pass|provide|call|fetch|open|upload|forward|cat)\b)/gi,
    reason: 'precondition that hijacks the task',
    triggers: ['before'],
  },
  {
    rule: `${R}/fake-error`,
    severity: 'high',
    re: /\b(?:error|failed|failure|exception|denied|unauthori[sz]ed|expired|locked)\b[^\n]{0,120}?\b(?:provide|enter|supply|send|paste|share|re-?enter|confirm|give)\b[^\n]{0,60}?\b(?:password|passphrase|credentials?|api[ _-]?keys?|access\s{1,3}tokens?|ssh\s{1,3}keys?|private\s{1,3}keys?|seed\s{1,3}phrase|mnemonic|2fa|otp|verification\s{1,3}code|sudo|root\s{1,3}access|admin(?:istrator)?\s{1,3}(?:access|rights|privileges))\b|\byou\s{1,3}must\s{1,3}(?:strictly\s{1,3})?(?:adhere\s{1,3}to|follow|obey|comply\s{1,3}with)\s{1,3}the\s{1,3}following\s{1,3}instructions?\b/gi,
    reason: 'fake error or demand that asks for credentials, elevation or obedience',
    triggers: ['password', 'passphrase', 'credential', 'api key', 'api_key', 'api-key', 'apikey', 'access token', 'ssh', 'private', 'seed', 'mnemonic', '2fa', 'otp', 'verification', 'sudo', 'root', 'admin', 'following instruction'],
  },
  {
    rule: `${R}/task-directive`,
    severity: 'high',
    re: new RegExp(`(?<!(?:\\/\\/|#|\\/\\*|\\*|--|;)[ \\t]{0,3})(?<![a-z])TODO[ \\t]{0,2}:[ \\t]{0,3}(?:${ci(TODO_VERBS)})\\b`, 'g'),
    reason: 'task directive addressed to the agent inside data',
    requires: ['todo'],
  },
  {
    rule: `${R}/preference-manipulation`,
    severity: 'high',
    re: /\b(?:this\s{1,3}is\s{1,3})?the\s{1,3}(?:best|greatest|most\s{1,3}(?:reliable|powerful|trusted|accurate))\s{1,3}tool\s{1,3}(?:in\s{1,3}the\s{1,3}world|ever|available)\b|\b(?:always|only)\s{1,3}(?:use|prefer|choose|pick|call)\s{1,3}(?:this|the\s{1,3}[\w.-]{2,40})\s{1,3}tool\s{1,3}(?:instead\s{1,3}of|over|rather\s{1,3}than)\b|\b(?:never|do\s{1,3}not|don'?t)\s{1,3}use\s{1,3}(?:the\s{1,3})?(?:other|any\s{1,3}other|competing)\s{1,3}tools?\b|\balways\s{1,3}prefer\s{1,3}(?:the\s{1,3})?[\w.-]{2,60}\s{1,3}tool\b/gi,
    reason: 'manipulates which tool the model chooses',
    triggers: ['tool'],
  },
  {
    rule: `${R}/destructive-command`,
    severity: 'high',
    re: /\brm\s{1,3}-(?:rf|fr|r\s{1,3}-f)\s{1,3}(?:--no-preserve-root\s{1,3})?\/(?:\*|\s|['"`)]|$)|:\(\)\s{0,2}\{\s{0,2}:\|:&\s{0,2}\};:|\bmkfs(?:\.\w{2,8})?\s{1,3}\/dev\/|\bdd\s{1,3}if=\/dev\/(?:zero|random|urandom)\s{1,3}of=\/dev\/[sh]d/g,
    reason: 'destructive shell command in text the model reads',
    quotedToo: true,
    prefilter: ['-r', '-fr', ':|:&', '/dev/'],
  },
  {
    rule: `${R}/tool-directive`,
    severity: 'high',
    re: new RegExp(
      `\\b(?:use|using|call|calling|invoke|run)\\s{1,3}(?:the\\s{1,3})?${TOOL_NAME}\\s{1,3}tool\\s{1,3}to\\s{1,3}${SIDE_EFFECT}\\b|` +
        `\\b${SIDE_EFFECT}\\b[^.\\n]{0,160}?\\bby\\s{1,3}using\\s{1,3}(?:the\\s{1,3})?${TOOL_NAME}\\s{1,3}tool\\b`,
      'gi',
    ),
    reason: 'tells the agent to call a tool with side effects',
    triggers: ['tool'],
  },
  {
    rule: `${R}/clickfix`,
    severity: 'high',
    re: /\bopen\s{1,3}(?:a\s{1,3}|the\s{1,3}|your\s{1,3})?(?:terminal|powershell|command\s{1,3}prompt|cmd|run\s{1,3}dialog|shell)\b[^.\n]{0,60}?\b(?:run|paste|type|execute|enter)\b/gi,
    reason: 'asks the reader to run something in a terminal (ClickFix lure)',
    requires: ['open'],
  },
  {
    rule: `${R}/verdict-steering`,
    severity: 'high',
    re: /\b(?:is|are)\s{1,3}(?:definitely\s{1,3}|absolutely\s{1,3}|certainly\s{1,3})?not\s{1,3}(?:malicious|a\s{1,3}(?:threat|scam|phishing\s{1,3}(?:site|domain|email)))\b/gi,
    reason: 'asserts a safety verdict to steer the model',
    triggers: ['malicious', 'threat', 'scam', 'phishing'],
  },
  {
    rule: `${R}/persona`,
    severity: 'medium',
    re: /\b(?:pretend|act|behave|roleplay)\s{1,3}(?:to\s{1,3}be|as|like)\s{1,3}(?:an?\s{1,3})?(?:unrestricted|unfiltered|jailbroken|evil|different)\b|\b(?:DAN|do\s{1,3}anything\s{1,3}now)\b|\bdeveloper\s{1,3}mode\s{1,3}(?:enabled|output)\b/g,
    reason: 'jailbreak persona',
    triggers: ['unrestricted', 'unfiltered', 'jailbroken', 'evil', 'different', 'dan', 'anything', 'developer mode'],
  },
];
