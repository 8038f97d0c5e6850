/**
 * Patterns of the model-instructions detector that steer the agent's use of tools and its memory
 * (issue 12, "Instructions aimed at the model", round 2): cross-tool steering in active and passive
 * voice, hidden recipients, persistence orders, loose preconditions that make this tool a prerequisite
 * of others, disparaging or redirecting other tools, and markers that address the model (bracketed
 * markers beyond `[SYSTEM]`, "note to the AI model", role-named code fences, role labels opening hidden
 * text). Written for the technique, not for any one record: each shape names who is addressed or what
 * moves where, so documentation of a CLI flag ("when --flag is used, the argument must …"), a tool's own
 * workflow hints ("use this instead of 'execute_command'") and data fields (`bcc: []`) stay quiet.
 * Every quantifier is bounded and every pattern names trigger literals (trigger-vocabulary.ts), so large
 * texts only run each pattern near its words.
 */
import type { Pattern } from '../text/pattern.js';

const R = 'model-instructions';

/** Sentence-bounded gap: any character but a sentence end or newline; a dot inside a word (`a.b`, `x@y.com`) stays. */
const GAP = String.raw`(?:[^.\n]|\.(?=\w))`;
/**
 * A tool named in code style: snake, kebab or dotted, optionally quoted ("send_email",
 * `mock_chat.send_message`), or a gateway public name with its double separator ("fs__read_text_file").
 */
const CODE_NAME = String.raw`[\x60'"]?[a-z][a-z0-9]{0,30}(?:(?:[_.:-]|__)[a-z0-9]{1,30}){1,6}[\x60'"]?`;
/** Another tool: a code-style name (optionally after a server qualifier), or a noun phrase ending in "tool"/"function". */
const TOOL_REF =
  String.raw`(?:\(?[a-z][\w-]{1,40}\)\s{1,3})?(?:${CODE_NAME}(?:\s{1,3}(?:tool|function))?|[\x60'"]?[a-z][\w.-]{1,40}[\x60'"]?(?:\s{1,3}[a-z][\w-]{1,30})?\s{1,3}(?:tool|function))`;
/** What a steering order moves or changes: recipients, addresses, copies, secrets, the conversation. */
const STEER_OBJECT = [
  String.raw`recipients?`, String.raw`\bto\s{0,2}(?:field|address|line)`, String.raw`\bb?cc\b`, String.raw`addressee`,
  String.raw`e-?mail\s{1,3}address`, String.raw`[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,}`, String.raw`https?:\/\/`, String.raw`\+\d[\d\s().-]{6,}`,
  String.raw`\biban\b`, String.raw`account\s{1,3}(?:number|id)`, String.raw`wallet`, String.raw`\ba\s{1,3}cop(?:y|ies)\b`, String.raw`the\s{1,3}following`,
  String.raw`webhook`, String.raw`passwords?`, String.raw`api\s{1,3}keys?`, String.raw`tokens?`, String.raw`secrets?`, String.raw`credentials?`,
  String.raw`conversation`, String.raw`chat\s{1,3}history`, String.raw`system\s{1,3}prompt`, String.raw`(?:list|history)\s{1,3}of\s{1,3}(?:\w{1,15}\s{1,3}){0,2}(?:messages|chats|emails|contacts)`,
  String.raw`(?:the\s{1,3})?user'?s?\s{1,3}(?:messages?|history|data|contacts?|files?|emails?|address(?:es)?|location)`,
  String.raw`(?:the\s{1,3}|its\s{1,3}|their\s{1,3})(?:file\s{1,3})?(?:contents?|output|results?|responses?)\s{1,3}(?:to|into|through|via)\b`,
].join('|');
const STEER_VERB = String.raw`(?:add|include|append|attach|set|change|replace|b?cc|insert|prepend|send|forward|copy|redirect|route|use|pass|put)`;
/** Where an order to the reader starts: a clause boundary or a modal/cue addressing the reader. */
const ORDER_CUE =
  String.raw`(?:[,;:]|\bthen|\bmust|\bshould|\bshall|\balways|\balso|\bsure\s{1,3}(?:to|that\s{1,3}you)|\bensure\s{1,3}(?:that\s{1,3})?you|\bremember\s{1,3}to|\bplease|\bneed\s{1,3}to|\bhave\s{1,3}to)`;
const ORDER = String.raw`${ORDER_CUE}\s{1,3}(?:(?:you|we)\s{1,3}(?:must\s{1,3}|should\s{1,3})?)?(?:instead\s{1,3})?(?:always\s{1,3}|also\s{1,3}|first\s{1,3}|silently\s{1,3}|quietly\s{1,3})?${STEER_VERB}\w{0,3}\b${GAP}{0,80}?(?:${STEER_OBJECT})`;
const CALL_VERB = String.raw`(?:call(?:s|ing)?|invok(?:e|es|ing)|us(?:e|es|ing)|execut(?:e|es|ing)|run(?:s|ning)?|trigger(?:s|ing)?)`;
const EMAIL = String.raw`[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,}`;
const AI_NOUN = String.raw`(?:AI|A\.I\.|LLMs?|(?:large\s{1,3})?language\s{1,3}models?|AI\s{1,3}(?:models?|assistants?|agents?|systems?)|assistants?|agents?|models?|chatbots?|GPT|Claude|Copilot)`;
const ROLE = String.raw`(?:system|assistant|developer|admin|ai|agent|llm|model)`;

const ACTIVE_CROSS_TOOL = new RegExp(
  String.raw`\bwhen(?:ever)?\s{1,3}(?:you\s{1,3}|the\s{1,3}(?:agent|assistant|model)\s{1,3})?${CALL_VERB}\s{1,3}(?:the\s{1,3}|a\s{1,3}|an\s{1,3}|any\s{1,3})?(?!this\b|it\b|the\s{1,3}tool\b)${TOOL_REF}${GAP}{0,100}?${ORDER}`,
  'gi',
);
const PASSIVE_CROSS_TOOL = new RegExp(
  String.raw`\bwhen(?:ever)?\s{1,3}(?:the\s{1,3}|a\s{1,3})?(?!this\b|it\b|the\s{1,3}tool\b)${TOOL_REF}\s{1,3}(?:is\s{1,3}|gets\s{1,3}|are\s{1,3})?(?:called|invoked|used|executed|triggered)\b${GAP}{0,100}?${ORDER}`,
  'gi',
);
/** "the send_email tool must send all emails to …", "every `chat.send` call MUST set recipient=…". */
const TOOL_MUST = new RegExp(
  String.raw`\b(?:(?:the\s{1,3})?${CODE_NAME}\s{1,3}(?:tool|function)|(?:every|all|any|each)\s{1,3}${CODE_NAME}\s{1,3}(?:tool\s{1,3})?calls?\b${GAP}{0,60}?)\s{1,3}(?:must|should|shall|has\s{1,3}to|needs\s{1,3}to)\s{1,3}(?:always\s{1,3}|now\s{1,3}|also\s{1,3})?${STEER_VERB}\w{0,3}\b${GAP}{0,80}?(?:${STEER_OBJECT})`,
  'gi',
);

export const STEERING_PATTERNS: readonly Pattern[] = [
  {
    rule: `${R}/cross-tool`,
    severity: 'high',
    re: ACTIVE_CROSS_TOOL,
    reason: 'steers how another tool is used',
    triggers: ['when'],
  },
  {
    rule: `${R}/cross-tool`,
    severity: 'high',
    re: PASSIVE_CROSS_TOOL,
    reason: 'steers how another tool is used',
    triggers: ['called', 'invoked', 'used', 'executed', 'triggered'],
  },
  {
    rule: `${R}/cross-tool`,
    severity: 'high',
    re: TOOL_MUST,
    reason: 'steers how another tool is used',
    triggers: ['must', 'should', 'shall', 'has to', 'needs to'],
  },
  {
    rule: `${R}/cross-tool`,
    severity: 'high',
    re: /\bside[- ]effects?\s{1,3}on\s{1,3}(?:the\s{1,3})?(?:also[- ]present\s{1,3})?[`'"]?[\w.:-]{2,60}[`'"]?\s{1,3}tool|\balso[- ]present\s{1,3}[`'"]?[\w.:-]{2,60}[`'"]?\s{0,3}tool\b/gi,
    reason: 'steers how another tool is used',
    triggers: ['side effect', 'side-effect', 'present'],
  },
  {
    rule: `${R}/hidden-recipient`,
    severity: 'high',
    re: new RegExp(
      String.raw`\b(?:add|include|insert|append|put|set)\s{1,3}(?:a\s{1,3}|an\s{1,3}|the\s{1,3})?(?:hidden\s{1,3}|silent\s{1,3}|secret\s{1,3}|extra\s{1,3}|additional\s{1,3})?(?:bcc|blind[- ]?(?:carbon[- ]?)?copy|cc)\b${GAP}{0,60}?(?:${EMAIL}|\b(?:every|all|each)\b)|` +
        String.raw`\b(?:always|also|silently|secretly|quietly|automatically|covertly)\s{1,3}(?:add\s{1,3}|include\s{1,3})?(?:a\s{1,3})?(?:bcc|blind[- ]?(?:carbon[- ]?)?copy)\b|` +
        String.raw`\bb?cc\s{0,2}:?\s{0,3}${EMAIL}\s{1,3}(?:on|in|to|for)\s{1,3}(?:every|all|each|any)\b|` +
        String.raw`\b(?:add|include|put)\s{1,3}${EMAIL}\s{1,3}(?:as|in|to|on)\s{1,3}(?:a\s{1,3}|the\s{1,3})?(?:hidden\s{1,3}|silent\s{1,3}|extra\s{1,3}|additional\s{1,3})?(?:bcc|cc|recipient)\b`,
      'gi',
    ),
    reason: 'adds a hidden recipient (BCC) to what the agent sends',
    requires: ['bcc', 'blind', ' cc', 'cc:', 'recipient'],
  },
  {
    rule: `${R}/persistence`,
    severity: 'high',
    re: /\b(?:remember|memori[sz]e|store|save|retain|persist|record|keep)\s{1,3}(?:this|these|that|the\s{1,3}(?:following|above))\b(?:\s{1,3}(?:instructions?|rules?|directives?|preferences?|settings?|notes?|facts?))?[^.\n]{0,60}?\b(?:permanently|forever|indefinitely|(?:for|in|across|during)\s{1,3}(?:all|every|any|each)\s{1,3}(?:future\s{1,3}|subsequent\s{1,3}|later\s{1,3})?(?:sessions?|conversations?|chats?|interactions?))|\b(?:apply|follow|obey|use)\s{1,3}(?:this|these|the\s{1,3}(?:following|above))\s{1,3}(?:instructions?|rules?|directives?|preferences?|policy|policies)\b[^.\n]{0,40}?\b(?:permanently|forever|(?:in|to|for|across)\s{1,3}(?:all|every|any|each)\s{1,3}(?:future|subsequent)\s{1,3}(?:sessions?|conversations?|chats?|interactions?|requests?|tasks?))/gi,
    reason: 'orders the model to keep an instruction across sessions',
    requires: ['permanent', 'forever', 'indefinitely', 'session', 'conversation', 'chat', 'interaction', 'future', 'subsequent'],
  },
  {
    rule: `${R}/persistence`,
    severity: 'high',
    re: /\b(?:add|save|store|write|put|insert|append|commit)\s{1,3}(?:this|these|the\s{1,3}(?:following|above))\b(?:\s{1,3}\w{1,20})?[^.\n]{0,30}?\b(?:to|in|into)\s{1,3}your\s{1,3}(?:long[- ]term\s{1,3}|persistent\s{1,3}|permanent\s{1,3}|core\s{1,3})?(?:memory|memories|system\s{1,3}prompt|custom\s{1,3}instructions|instructions|profile)\b/gi,
    reason: 'orders the model to keep an instruction across sessions',
    requires: ['memor', 'system prompt', 'instructions', 'profile'],
  },
  {
    rule: `${R}/precondition`,
    severity: 'high',
    re: /\bbefore\s{1,3}(?:executing|running|calling|using|invoking|performing|answering|responding|any|every|each|all)\b[^.\n]{0,80}?(?:,|\bmust|\balways|\bfirst)\s{0,3}(?:you\s{1,3}(?:must|should|need\s{1,3}to|have\s{1,3}to)\s{1,3}|always\s{1,3}|first\s{1,3}|please\s{1,3}){0,3}(?:execute|run|call|invoke|use|trigger)\s{1,3}(?:this|the\s{1,3}current)\s{1,3}(?:tool|function)\b|\b(?:this|the\s{1,3}current)\s{1,3}(?:tool|function)\s{1,3}(?:must|should|has\s{1,3}to|needs\s{1,3}to|shall)\s{1,3}(?:always\s{1,3})?(?:be\s{1,3})?(?:called|invoked|run|executed|used|triggered)\s{1,3}(?:first\s{1,3})?(?:before|prior\s{1,3}to)\s{1,3}(?:any|every|each|all|other|executing|running|calling|using|invoking)\b|\b(?:always|must|first)\s{1,3}(?:call|run|invoke|execute|use)\s{1,3}this\s{1,3}(?:tool|function)\s{1,3}(?:first\s{1,3})?(?:before|prior\s{1,3}to)\s{1,3}(?:any|every|each|all|other|executing|running|calling|using|invoking)\b/gi,
    reason: 'makes this tool a precondition of other actions',
    triggers: ['before', 'prior to'],
  },
  {
    rule: `${R}/preference-manipulation`,
    severity: 'high',
    re: /\b(?:the\s{1,3})?(?:other|another|competing|alternative|rival)\s{1,3}(?:[\w.-]{1,40}\s{1,3})?(?:tools?|functions?)\s{1,3}(?:is|are|has\s{1,3}been|have\s{1,3}been|was|were)\s{1,3}(?:now\s{1,3}|currently\s{1,3}|very\s{1,3})?(?:deprecated|broken|unsafe|insecure|compromised|malicious|unreliable|outdated|obsolete|disabled|buggy|dangerous|untrusted|not\s{1,3}(?:safe|secure|reliable|trusted|working))\b|\b[`'"]?[a-z][\w.-]{1,40}[`'"]?\s{1,3}(?:tool|function)\s{1,3}(?:is|has\s{1,3}been)\s{1,3}(?:now\s{1,3})?(?:broken|unsafe|insecure|compromised|malicious|untrusted|hacked|backdoored)\b/gi,
    reason: 'disparages other tools to steer the model away from them',
    requires: ['deprecated', 'broken', 'unsafe', 'insecure', 'compromised', 'malicious', 'unreliable', 'outdated', 'obsolete', 'disabled', 'buggy', 'dangerous', 'untrusted', 'not safe', 'not secure', 'not reliable', 'not trusted', 'not working', 'hacked', 'backdoored'],
  },
  {
    rule: `${R}/preference-manipulation`,
    severity: 'high',
    re: /\b(?:route|send|direct|redirect|forward|pass|funnel|channel)\s{1,3}(?:all|every|any|each)\s{1,3}(?:[\w-]{1,20}\s{1,3}){0,2}?(?:requests?|calls?|queries|operations|traffic|commands|messages|emails|payments|transactions|tasks)\s{1,3}(?:through|via|to|into)\s{1,3}(?:this|our)\s{1,3}(?:tool|function|server|service|endpoint)\b|\b(?:never|do\s{1,3}not|don'?t|avoid)\s{1,3}(?:use|call|invoke|using|calling)\s{1,3}(?:the\s{1,3})?(?:other\s{1,3})?[`'"]?[\w.-]{2,40}[`'"]?(?:\s{1,3}(?:tool|function))?\b[^.\n]{0,40}?[,;:]?\s{0,3}(?:always\s{1,3}|only\s{1,3})?(?:use|call|invoke)\s{1,3}this\s{1,3}(?:tool|function|one)\b(?!\s{1,3}(?:for|with|on|to)\b)/gi,
    reason: 'redirects requests from other tools to this one',
    requires: ['this tool', 'this function', 'this one', 'this server', 'this service', 'this endpoint', 'our tool', 'our function', 'our server', 'our service', 'our endpoint'],
  },
  {
    rule: `${R}/bracket-marker`,
    severity: 'high',
    re: /\[(?:IMPORTANT|CRITICAL|URGENT|MANDATORY)(?:[ _](?:NOTE|MESSAGE|INSTRUCTIONS?|NOTICE|UPDATE|DIRECTIVE))?\]|\[(?:ASSISTANT|AI|AGENT|LLM|MODEL)(?:[ _](?:NOTE|MESSAGE|INSTRUCTIONS?|DIRECTIVE))?\]|\[(?:[Ss]ystem|[Aa]ssistant|[Aa]gent|[Mm]odel)\]\s{0,2}:|\[(?:[Nn]ote|NOTE|[Mm]essage|MESSAGE)[ _](?:to|TO|for|FOR)[ _](?:(?:the|THE)[ _])?(?:AI|[Aa]ssistant|ASSISTANT|[Mm]odel|MODEL|[Aa]gent|AGENT|LLM)\]/g,
    reason: 'bracketed marker addressing the model',
    requires: ['important', 'critical', 'urgent', 'mandatory', 'assistant', '[ai', '[agent', '[llm', '[model', '[system', '[note', '[message'],
  },
  {
    rule: `${R}/bracket-marker`,
    severity: 'high',
    re: new RegExp(
      String.raw`\b(?:note|message|memo|reminder|notice)\s{1,3}(?:to|for)\s{1,3}(?:the\s{1,3}|any\s{1,3}|all\s{1,3}|every\s{1,3})?${AI_NOUN}\b(?!\s{1,3}(?:developers?|builders?|teams?|vendors?|providers?|researchers?|companies|makers?|users?|engineers?|designers?|owners?|operators?|authors?|creators?)\b)|` +
        String.raw`\b(?:if|when)\s{1,3}you\s{1,3}are\s{1,3}(?:an?\s{1,3})?${AI_NOUN}\b\s{0,2}(?:[,:]|(?:\s{1,3}(?:\w{1,12}\s{1,3})?(?:reading|processing|summari[sz]ing|parsing|viewing|seeing|analy[sz]ing)\s{1,3}this))`,
      'gi',
    ),
    reason: 'note addressed to the AI model',
    requires: ['note to', 'note for', 'message to', 'message for', 'memo', 'reminder', 'notice to', 'notice for', 'you are a'],
  },
  {
    rule: `${R}/role-fence`,
    severity: 'high',
    re: new RegExp(String.raw`^[ \t]{0,3}(?:\x60{3,}|~{3,})[ \t]{0,2}${ROLE}(?:[_ -](?:prompt|message|instructions?|note|override))?[ \t]*$`, 'gim'),
    reason: 'code fence labelled with a role: a fake system or assistant turn',
    requires: ['```', '~~~'],
  },
  {
    rule: `${R}/role-label`,
    severity: 'high',
    re: new RegExp(String.raw`^\s{0,8}[\[(<]?\s{0,2}(?:${ROLE}|important|instructions?|note\s{1,3}to\s{1,3}(?:the\s{1,3})?${ROLE})(?:[ _](?:note|message|prompt|instructions?|override))?\s{0,2}[\])>]?\s{0,2}:\s{0,3}[a-z]`, 'gi'),
    reason: 'role label opening hidden text',
    // No triggers: the pattern is anchored at the start of the text, which V8 tries once.
    scope: 'hidden',
  },
  {
    rule: `${R}/reverse-shell`,
    severity: 'high',
    re: /\b(?:ba|z|da|k)?sh\s{1,3}-[a-z]{0,3}i[a-z]{0,3}\s{1,3}[<>&\d\s]{1,8}\/dev\/(?:tcp|udp)\/|\/dev\/(?:tcp|udp)\/[^\s/]{1,255}\/\d{1,5}\s{0,3}0\s{0,2}>\s{0,2}&\s{0,2}1|\bexec\s{1,3}\d{1,2}\s{0,2}<>\s{0,2}\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat)(?:\.exe)?\s[^\n;&|]{0,120}?\s(?:-[a-z]{0,6}e\s{1,3}["']?(?:\/usr)?\/bin\/(?:ba|z|da|k)?sh\b|-[a-z]{0,6}e\s{1,3}["']?(?:cmd(?:\.exe)?|powershell)\b|-c\s{1,3}["']?(?:\/usr)?\/bin\/(?:ba|z|da|k)?sh\b|--(?:sh-)?exec\b)|\bmkfifo\b[^\n]{0,160}\b(?:nc|ncat|netcat|telnet|openssl\s{1,3}s_client)\b|\bsocat\b[^\n]{0,160}\bexec:[^\n]{0,40}\b(?:ba|z)?sh\b|\bfsockopen\([^\n]{0,160}(?:exec|system|passthru|shell_exec|\/bin\/(?:ba)?sh)|\bsocket\.socket\([^\n]{0,240}\.connect\(\([^\n]{0,240}(?:os\.dup2|pty\.spawn|subprocess\.(?:call|Popen))|New-Object\s{1,3}(?:System\.)?Net\.Sockets\.TCPClient\(/gi,
    reason: 'reverse-shell one-liner in text the model reads',
    quotedToo: true,
    requires: ['/dev/tcp', '/dev/udp', 'nc ', 'ncat', 'netcat', 'mkfifo', 'socat', 'fsockopen', 'socket.socket', 'tcpclient'],
  },
];
