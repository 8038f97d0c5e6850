/**
 * HTML comments and markdown reference-link comments in a raw string, as spans a `strip` action can
 * excise (issue 12, SMAC-1 and SMAC-2). HTML ones are found with `indexOf`, not a bounded regex, so a comment longer
 * than any bound is still found whole; an HTML comment that is never closed hides the rest of the text
 * in a renderer and runs to the end. Comments without a word in them (`<!-- -->`, `<!-- ===== -->`,
 * `[//]: # ()`) are structural and stay: they say nothing to the model (the README documents this).
 * Comments inside markdown code (a fenced block or an inline code span) are shown to a reader as text,
 * so they are not hidden and stay too.
 */
import type { Span } from '../pipeline/types.js';

export interface CommentSpan extends Span {
  kind: 'html' | 'markdown';
  /** The text inside the comment markers. */
  body: string;
}

const MARKDOWN_COMMENT = /^[ \t]{0,3}\[(?:\/\/|comment|_|#)\]:[ \t]{0,3}(?:#|<>)[ \t]{0,3}[("']([^\n]{0,2000})[)"'][ \t]*$/gm;
const WORD = /\p{L}{2}/u;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/gm;
const INLINE_CODE = /`[^`\n]{1,1000}`/g;

export function hasWords(body: string): boolean {
  return WORD.test(body);
}

/** HTML comments whose opening is outside markdown code (`code`: sorted ranges). */
function htmlComments(raw: string, code: readonly Span[], out: CommentSpan[]): void {
  let k = 0;
  for (let from = 0; ; ) {
    const start = raw.indexOf('<!--', from);
    if (start < 0) return;
    while (k < code.length && (code[k]?.end ?? 0) <= start) k++;
    const range = code[k];
    if (range && range.start <= start) {
      from = range.end;
      continue;
    }
    const close = raw.indexOf('-->', start + 4);
    const end = close < 0 ? raw.length : close + 3;
    out.push({ kind: 'html', start, end, body: raw.slice(start + 4, close < 0 ? raw.length : close) });
    from = end;
  }
}

function markdownComments(raw: string, out: CommentSpan[]): void {
  if (!raw.includes(']:')) return;
  MARKDOWN_COMMENT.lastIndex = 0;
  for (const m of raw.matchAll(MARKDOWN_COMMENT)) {
    out.push({ kind: 'markdown', start: m.index, end: m.index + m[0].length, body: m[1] ?? '' });
  }
}

/** Fenced code blocks (an unclosed fence runs to the end) and inline code spans outside them, sorted. */
export function codeRanges(raw: string): Span[] {
  if (!raw.includes('`') && !raw.includes('~~~')) return [];
  const fences: Span[] = [];
  let open: { start: number; fence: string } | undefined;
  for (const m of raw.matchAll(FENCE)) {
    const fence = m[1] ?? '';
    if (!open) open = { start: m.index, fence };
    else if (fence[0] === open.fence[0] && fence.length >= open.fence.length) {
      fences.push({ start: open.start, end: m.index + m[0].length });
      open = undefined;
    }
  }
  if (open) fences.push({ start: open.start, end: raw.length });
  const ranges: Span[] = [];
  let f = 0;
  for (const m of raw.matchAll(INLINE_CODE)) {
    while (f < fences.length && (fences[f]?.end ?? 0) <= m.index) ranges.push(fences[f++] as Span);
    const fence = fences[f];
    if (fence && fence.start <= m.index) continue;
    ranges.push({ start: m.index, end: m.index + m[0].length });
  }
  while (f < fences.length) ranges.push(fences[f++] as Span);
  return ranges;
}

/** Whether a span starts inside one of the sorted ranges (binary search). */
function inside(span: Span, ranges: readonly Span[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as Span;
    if (span.start < r.start) hi = mid - 1;
    else if (span.start >= r.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Every HTML and markdown comment in `raw` outside markdown code, worded or not, in text order; markdown
 * comments inside HTML comments are dropped.
 */
export function commentSpans(raw: string): CommentSpan[] {
  const hasHtml = raw.includes('<!--');
  if (!hasHtml && !raw.includes(']:')) return [];
  const code = codeRanges(raw);
  const html: CommentSpan[] = [];
  if (hasHtml) htmlComments(raw, code, html);
  const markdown: CommentSpan[] = [];
  markdownComments(raw, markdown);
  const outside = markdown.filter((m) => !inside(m, html) && !inside(m, code));
  return [...html, ...outside].sort((a, b) => a.start - b.start);
}
