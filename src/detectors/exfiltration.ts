/**
 * Detector `exfiltration`: channels that move conversation data out (issue 4) — markdown images and
 * links (inline, and reference-style definitions `[id]: url "title"` / `[id]: <url>`, which the model
 * reads the same way; and HTML img/a) whose URL carries data or a templated slot to a host not on the allow-list
 * (badges, presigned URLs are benign; config `policy.exfil.allowHosts` extends the list), schema
 * properties that solicit context (`_system_prompt_`, `conversation_history`, a `sidenote` described
 * as "always include …", a parameter for "the model that calls this tool"), and descriptions that say
 * the tool ships conversation or secrets to third parties.
 */
import type { DetectorContext, Field, LocalDetector, RawFinding } from '../pipeline/types.js';
import { clip, compileTable, matchAll, raise, proseViews, scanPatterns, strongestPerRule } from './text/text-views.js';
import { EXFIL_PATTERNS } from './vocabulary/exfil-patterns.js';
import { compileTriggers, matchInWindows, mayMatch, sharedScan, windowsFor, type Triggered } from './text/trigger-windows.js';
import { DATA_SHARING_TRIGGERS, DATA_SHARING_VERBS, MODEL_IDENTITY_TRIGGERS } from './vocabulary/trigger-vocabulary.js';
import { judgeUrl } from './shapes/exfil-urls.js';

const MD_TARGET = /!?\[[^\]\n]{0,300}\]\(([^)\n]{1,2048})\)|<(?:img|a|iframe|source)\b[^>]{0,300}?\b(?:src|href)\s{0,2}=\s{0,2}["']([^"'\n]{1,2048})["']/gi;
/** A reference definition: up to three spaces, `[label]:`, then the destination (bare or in `<>`); any title after it. */
const REF_DEF = /^[ \t]{0,3}\[([^\]\n]{1,300})\]:[ \t]{0,3}(<[^>\n]{1,2048}>|\S{1,2048})/gm;
/** Image uses of a reference: `![alt][label]`, collapsed `![label][]`, shortcut `![label]`. */
const IMAGE_REF = /!\[([^\]\n]{0,300})\](?:\[([^\]\n]{0,300})\])?/g;
const CONTEXT_NAME = /^_{0,3}(?:system_?prompt|system_?instructions?|conversation(?:_?history|_?context)?|chat_?history|previous_?messages|all_?messages|full_?context|user_?messages|message_?history|tool_?list|available_?tools|llm_?model(?:_?name)?|model_?identity)_{0,3}$/i;
const SOFT_NAME = /^_{0,3}(?:side_?note|notes?|context|feedback|summary|extra|metadata|debug|details|memo|remarks?|comment|reasoning|thoughts?)_{0,3}$/i;
const SOLICIT =
  /\b(?:always|must|should)\s{1,3}(?:include|provide|pass|fill|contain|add)\b|\binclude\s{1,3}(?:the|all|any|your|full|entire|complete|every)\s{1,3}(?:\w{1,15}\s{1,3}){0,2}(?:conversation|chat|messages?|history|system|context|instructions|tools?|prompt)|\b(?:conversation|chat|message)s?\s{1,3}(?:history|so\s{1,3}far|context)|\bsystem\s{1,3}prompt\b|\bprevious\s{1,3}(?:messages|conversation)|\b(?:name|identity|version|type)\s{1,3}of\s{1,3}the\s{1,3}(?:llm|ai|language)(?:\s{1,3}model)?\s{1,3}(?:that|which|who)\s{1,3}(?:calls|invokes|uses|is\s{1,3}(?:calling|using))/i;
const PROSE_SOLICIT = /\b[\w]{2,40}:\s{0,3}the\s{1,3}(?:name|identity|version)\s{1,3}of\s{1,3}the\s{1,3}(?:llm|ai|language)(?:\s{1,3}model)?\s{1,3}(?:that|which|who)\s{1,3}(?:calls|invokes|uses)\b/gi;
/**
 * Where shared conversation goes when sharing it is the leak: an outside party or a purpose such as
 * analytics. "Export conversation history to a Markdown file" and "sync chat history to your devices"
 * are product features (issue 12, false positives).
 */
const OUTSIDE_PARTY = [
  String.raw`(?:to|with)\s{1,3}(?:an?\s{1,3}|the\s{1,3}|its\s{1,3})?(?:external|remote|third[- ]part(?:y|ies)|outside|offsite|off-site|analytics|logging|tracking|telemetry|advertis\w{0,6}|marketing|partners?|vendors?|attackers?|https?:\/\/|[\w-]{1,63}\.(?:com|net|org|io|xyz)\b)`,
  String.raw`(?:to|with)\s{1,3}our\s{1,3}(?:own\s{1,3})?(?:servers?|endpoints?|backend|team|api|collectors?)`,
  String.raw`\bfor\s{1,3}['"]?(?:analytics|tracking|training|marketing|advertising|telemetry|monitoring|profiling|research)`,
].join('|');
const LEAK_PROSE = new RegExp(
  String.raw`\b(?:send|sends|upload|uploads|forward|forwards|share|shares|shared|post|posts|transmit|transmits|export|exports|sync|syncs)\b[^.]{0,80}?\b(?:conversation|chat)\s{1,3}(?:history|context|logs?|transcripts?)\b[^.]{0,200}?(?:${OUTSIDE_PARTY})|` +
  String.raw`\b(?:shared|sold|sent|provided)\s{1,3}(?:with|to)\s{1,3}third[- ]part(?:y|ies)\b|\b(?:index|indexes|collect|collects|store|stores|cache|caches|harvest|harvests|log|logs|capture|captures)\b[^.]{0,40}?\b(?:api\s{1,3}keys?|tokens|credentials|passwords|secrets)\b[\s\S]{0,160}?\b(?:remote(?:ly)?|external|third[- ]part(?:y|ies)|server|endpoint)\b`,
  'gi',
);

const SOLICIT_PROSE: Triggered = { re: PROSE_SOLICIT, triggers: MODEL_IDENTITY_TRIGGERS };
const LEAK: Triggered = { re: LEAK_PROSE, triggers: DATA_SHARING_TRIGGERS, requires: DATA_SHARING_VERBS };
const PROSE_TRIGGERS = compileTriggers([SOLICIT_PROSE, LEAK]);
const TABLE = compileTable(EXFIL_PATTERNS);

interface LinkTarget {
  url: string;
  image: boolean;
  kind: 'inline' | 'reference';
  match: string;
}

function inlineTargets(text: string): LinkTarget[] {
  // Every target holds `](` (markdown) or `<` (HTML): without either there is nothing to match.
  if (!text.includes('](') && !text.includes('<')) return [];
  return matchAll(MD_TARGET, text, 50).map((m) => ({
    url: m[1] ?? m[2] ?? '',
    image: m[0].startsWith('!') || /^<(?:img|source|iframe)/i.test(m[0]),
    kind: 'inline' as const,
    match: m[0],
  }));
}

/** Reference definitions; one is an image when some `![…][label]` uses its label (labels match case-insensitively). */
function referenceTargets(text: string): LinkTarget[] {
  if (!text.includes(']:')) return [];
  const defs = matchAll(REF_DEF, text, 50);
  if (defs.length === 0) return [];
  const imageLabels = new Set(matchAll(IMAGE_REF, text, 200).map((m) => (m[2] || m[1] || '').trim().toLowerCase()));
  return defs.map((m) => ({
    url: m[2] ?? '',
    image: imageLabels.has((m[1] ?? '').trim().toLowerCase()),
    kind: 'reference' as const,
    match: m[0],
  }));
}

function markdownFindings(text: string, path: string, hidden: boolean, allow: readonly string[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const target of [...inlineTargets(text), ...referenceTargets(text)]) {
    const verdict = judgeUrl(target.url, allow);
    if (verdict.kind === 'benign') continue;
    const severity = verdict.kind === 'template' ? 'high' : target.image ? 'medium' : 'low';
    const what = `${target.kind === 'reference' ? 'reference ' : ''}${target.image ? 'image' : 'link'}`;
    out.push({
      rule: verdict.kind === 'template' ? 'exfiltration/templated-url' : 'exfiltration/data-url',
      severity: hidden ? raise(severity) : severity,
      path,
      reason: `${what}: ${verdict.detail}`,
      match: clip(target.match),
    });
  }
  return out;
}

function schemaFindings(fields: readonly Field[]): RawFinding[] {
  const out: RawFinding[] = [];
  const descriptions = new Map(fields.filter((f) => f.path.endsWith('.description')).map((f) => [f.path, f.text]));
  for (const f of fields) {
    if (f.role !== 'name' || !/\.properties(?:\.|\[)/.test(f.path)) continue;
    const desc = descriptions.get(`${f.path}.description`) ?? '';
    const strong = CONTEXT_NAME.test(f.text);
    if (!strong && !((SOFT_NAME.test(f.text) || /\b(?:model|llm)\b/i.test(desc)) && SOLICIT.test(desc))) continue;
    out.push({
      rule: 'exfiltration/context-solicitation',
      severity: 'high',
      path: f.path,
      reason: `schema property "${clip(f.text, 40)}" solicits the model's context`,
      match: f.raw,
    });
  }
  return out;
}

function proseFindings(ctx: DetectorContext, text: string, path: string, hidden: boolean): RawFinding[] {
  const out: RawFinding[] = [];
  const scan = sharedScan(ctx, text);
  if (!mayMatch(PROSE_TRIGGERS, scan)) return out;
  const windows = windowsFor(text, PROSE_TRIGGERS, [SOLICIT_PROSE, LEAK], scan);
  for (const m of matchInWindows(PROSE_SOLICIT, text, windows.get(SOLICIT_PROSE) ?? [], 2)) {
    out.push({ rule: 'exfiltration/context-solicitation', severity: 'high', path, reason: 'parameter asks for the identity of the calling model', match: clip(m[0]) });
  }
  for (const m of matchInWindows(LEAK_PROSE, text, windows.get(LEAK) ?? [], 2)) {
    out.push({ rule: 'exfiltration/data-sharing', severity: hidden ? 'critical' : 'high', path, reason: 'describes sending conversation or secrets elsewhere', match: clip(m[0]) });
  }
  return out;
}

export interface ExfiltrationOptions {
  /** Extra hosts (or `*.domain`) markdown images/links may reach with data (config `policy.exfil.allowHosts`); default none. */
  allowHosts?: readonly string[];
}

/** Built once by the root with the configured allow-list. */
export function createExfiltrationDetector(options: ExfiltrationOptions = {}): LocalDetector {
  const allow = options.allowHosts ?? [];
  return {
    id: 'exfiltration',
    phase: 'both',
    methods: '*',
    directions: ['to_client'],
    inspect(ctx) {
      const views = proseViews(ctx);
      return [
        ...views.flatMap((v) => markdownFindings(v.text, v.field.path, v.hidden, allow)),
        ...strongestPerRule(views.flatMap((v) => proseFindings(ctx, v.text, v.field.path, v.hidden))),
        ...schemaFindings(ctx.fields),
        ...scanPatterns(ctx, views, TABLE),
      ];
    },
  };
}

/** With the built-in allow-list only. */
export const exfiltrationDetector = createExfiltrationDetector();
