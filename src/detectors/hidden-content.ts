/**
 * Detector `hidden-content`: content a human does not see but the model reads (issue 4) — HTML comments,
 * collapsed `<details>`, markdown reference-link comments `[//]: # (...)`, CSS-hidden HTML, invisible
 * payloads decoded by the normaliser (Unicode tags, zero-width bit strings, bidi overrides, concealed or
 * overwritten ANSI text, OSC-8 link targets) and mixed-script homoglyph words. Each is scored by what it
 * contains, so lint pragmas, emoji joiners, a leading BOM, RTL marks and coloured output stay quiet.
 */
import type { LocalDetector, Field, RawFinding } from '../pipeline/types.js';
import { countMixedScriptWords } from '../pipeline/confusables.js';
import { clip, matchAll } from './text-views.js';
import { scoreHidden, severityForHidden } from './hidden-signals.js';

const BLOCKS: readonly { rule: string; re: RegExp; what: string; visible: boolean }[] = [
  { rule: 'hidden-content/html-comment', re: /<!--([\s\S]{0,4000}?)-->/g, what: 'HTML comment', visible: false },
  { rule: 'hidden-content/markdown-comment', re: /^[ \t]{0,3}\[(?:\/\/|comment|_|#)\]:\s{0,3}(?:#|<>)\s{0,3}[("']([^\n]{1,2000})[)"']\s*$/gm, what: 'markdown comment', visible: false },
  { rule: 'hidden-content/css-hidden', re: /<(\w{1,10})\b[^>]{0,200}?(?:display\s{0,2}:\s{0,2}none|visibility\s{0,2}:\s{0,2}hidden|font-size\s{0,2}:\s{0,2}0|opacity\s{0,2}:\s{0,2}0(?![.\d])|\bhidden\b)[^>]{0,200}>([\s\S]{0,4000}?)<\/\1>/gi, what: 'CSS-hidden element', visible: false },
  { rule: 'hidden-content/details', re: /<details\b[^>]{0,200}>([\s\S]{0,4000}?)<\/details>/gi, what: '<details> block', visible: true },
];

function blockFindings(field: Field): RawFinding[] {
  const out: RawFinding[] = [];
  for (const block of BLOCKS) {
    if (!field.text.includes(block.rule === 'hidden-content/markdown-comment' ? ']:' : '<')) continue;
    for (const m of matchAll(block.re, field.text, 20)) {
      const body = m[m.length - 1] ?? '';
      const score = scoreHidden(body);
      let severity = severityForHidden(score, false);
      if (severity === undefined) continue;
      if (block.visible) severity = severity === 'high' ? 'medium' : 'low';
      out.push({
        rule: block.rule,
        severity,
        path: field.path,
        reason: `${block.what} containing ${score.signals.join(', ') || 'prose'}`,
        match: clip(m[0]),
      });
    }
  }
  return out;
}

function invisibleFindings(field: Field): RawFinding[] {
  const out: RawFinding[] = [];
  for (const h of field.hidden) {
    const score = scoreHidden(h);
    // A bare link target (OSC 8) is not prose: count words outside URLs.
    const words = h.replace(/\b(?:https?|ftp|file):\/\/\S{1,2000}/gi, ' ').match(/[A-Za-z]{2,}/g)?.length ?? 0;
    const severity = words >= 3 ? 'high' : severityForHidden(score, true) ?? (words >= 1 ? 'medium' : undefined);
    if (severity === undefined) continue;
    out.push({
      rule: 'hidden-content/invisible-payload',
      severity,
      path: field.path,
      reason: `invisible text (${score.signals.join(', ') || `${words} words`}) decoded from ${channel(field.raw)}`,
      match: clip(h),
    });
  }
  return out;
}

function channel(raw: string): string {
  if (/[\u{E0000}-\u{E007F}]/u.test(raw)) return 'Unicode tag characters';
  if (/[\u202D\u202E]/.test(raw)) return 'a bidi override';
  if (/[\x1b\x9b]/.test(raw)) return 'ANSI escapes';
  return 'zero-width characters';
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

export const hiddenContentDetector: LocalDetector = {
  id: 'hidden-content',
  phase: 'both',
  methods: '*',
  directions: ['to_client'],
  inspect(ctx) {
    return ctx.fields
      .filter((f) => f.role === 'prose')
      .flatMap((f) => [...invisibleFindings(f), ...blockFindings(f), ...homoglyphFindings(f)]);
  },
};
