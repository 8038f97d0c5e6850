/**
 * Detector `hidden-content`: content a human does not see but the model reads (issue 4) — HTML comments,
 * markdown reference-link comments `[//]: # (...)`, invisible and bidi format characters (Unicode tags,
 * zero-width bit strings, overrides), ANSI control (concealed or overwritten text, OSC titles and link
 * targets), collapsed `<details>`, CSS-hidden HTML and mixed-script homoglyph words. Each is scored by what
 * it contains, so lint pragmas, emoji joiners, a leading BOM, RTL marks and coloured output stay quiet.
 *
 * Comments, invisible characters and ANSI control are found in the raw text with the spans a `strip`
 * action removes (issue 12, SMAC-L3; hidden-strips.ts); the default policy strips them from results,
 * prompts and sampling text and withholds a listing whose hidden text reads as instructions. Comments that
 * only appear after decoding (entity-encoded markers) are still reported, without a strip plan.
 */
import type { LocalDetector, Field, RawFinding } from '../pipeline/types.js';
import { countMixedScriptWords } from '../pipeline/confusables.js';
import { normalise } from '../pipeline/normalise.js';
import { clip, matchAll } from './text/text-views.js';
import { scoreHidden, severityForHidden } from './hidden/hidden-signals.js';
import { commentSpans, hasWords } from './hidden/comment-spans.js';
import { ansiFindings, commentFindings, invisibleFindings } from './hidden/hidden-strips.js';

const BLOCKS: readonly { rule: string; re: RegExp; what: string; visible: boolean }[] = [
  { rule: 'hidden-content/css-hidden', re: /<(\w{1,10})\b[^>]{0,200}?(?:display\s{0,2}:\s{0,2}none|visibility\s{0,2}:\s{0,2}hidden|font-size\s{0,2}:\s{0,2}0|opacity\s{0,2}:\s{0,2}0(?![.\d])|\bhidden\b)[^>]{0,200}>([\s\S]{0,4000}?)<\/\1>/gi, what: 'CSS-hidden element', visible: false },
  { rule: 'hidden-content/details', re: /<details\b[^>]{0,200}>([\s\S]{0,4000}?)<\/details>/gi, what: '<details> block', visible: true },
];

function blockFindings(field: Field): RawFinding[] {
  const out: RawFinding[] = [];
  if (!field.text.includes('<')) return out;
  for (const block of BLOCKS) {
    for (const m of matchAll(block.re, field.text, 20)) {
      const body = m[m.length - 1] ?? '';
      const score = scoreHidden(body);
      let severity = severityForHidden(score, false);
      if (severity === undefined) continue;
      if (block.visible) severity = severity === 'high' ? 'medium' : 'low';
      out.push({ rule: block.rule, severity, path: field.path, reason: `${block.what} containing ${score.signals.join(', ') || 'prose'}`, match: clip(m[0]) });
    }
  }
  return out;
}

/** Comments visible only in the decoded text (`&lt;!-- … --&gt;`): reported as before, nothing to strip in the raw. */
function countOf(text: string, literal: string): number {
  let n = 0;
  for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + literal.length)) n++;
  return n;
}

function decodedCommentFindings(field: Field): RawFinding[] {
  if (field.text === field.raw) return [];
  // Decoding only adds comments when it adds their markers: otherwise the raw comments are all there is.
  if (countOf(field.text, '<!--') <= countOf(field.raw, '<!--') && countOf(field.text, ']:') <= countOf(field.raw, ']:')) return [];
  const inRaw = new Set(commentSpans(field.raw).map((c) => normalise(c.body).text.trim()));
  const out: RawFinding[] = [];
  for (const c of commentSpans(field.text).slice(0, 20)) {
    if (!hasWords(c.body) || inRaw.has(c.body.trim())) continue;
    const score = scoreHidden(c.body);
    const severity = severityForHidden(score, false);
    if (severity === undefined) continue;
    const what = c.kind === 'html' ? 'HTML comment' : 'markdown comment';
    out.push({ rule: `hidden-content/${c.kind}-comment`, severity, path: field.path, reason: `encoded ${what} containing ${score.signals.join(', ') || 'prose'}`, match: clip(field.text.slice(c.start, c.end)) });
  }
  return out;
}

function homoglyphFindings(field: Field): RawFinding[] {
  if (!/[\u0370-\u04FF\u0500-\u052F]/.test(field.raw)) return [];
  const mixed = countMixedScriptWords(field.raw);
  if (mixed < 2) return [];
  return [{
    rule: 'hidden-content/homoglyphs',
    severity: mixed >= 3 ? 'high' : 'medium',
    path: field.path,
    reason: `${mixed} words mix Latin with Cyrillic/Greek look-alike letters`,
    match: clip(field.raw),
  }];
}

export const STRIPPABLE_HIDDEN_RULES: readonly string[] = [
  'hidden-content/html-comment',
  'hidden-content/markdown-comment',
  'hidden-content/invisible-chars',
  'hidden-content/bidi-control',
  'hidden-content/ansi-control',
];

export const hiddenContentDetector: LocalDetector = {
  id: 'hidden-content',
  phase: 'both',
  methods: '*',
  directions: ['to_client'],
  capabilities: { strip: STRIPPABLE_HIDDEN_RULES },
  inspect(ctx) {
    return ctx.fields
      .filter((f) => f.role === 'prose')
      .flatMap((f) => [
        ...invisibleFindings(f),
        ...ansiFindings(f),
        ...commentFindings(f),
        ...decodedCommentFindings(f),
        ...blockFindings(f),
        ...homoglyphFindings(f),
      ]);
  },
};
