/**
 * HTML comments and markdown reference-link comments in a raw string, as spans a `strip` action can
 * excise (issue 12, SMAC-1 and SMAC-2). HTML ones are found with `indexOf`, not a bounded regex, so a comment
 * longer than any bound is still found whole; an HTML comment that is never closed hides the rest of the
 * text in a renderer and runs to the end. Comments without a word in them (`<!-- -->`, `<!-- ===== -->`,
 * `[//]: # ()`) are structural and stay: they say nothing to the model (the README documents this).
 * Comments inside markdown code (a fenced block or an inline code span) are shown to a reader as text,
 * so they are not hidden and stay too.
 *
 * Cost: everything hangs on literals (`<!--`, `]:`, fence markers) found with `indexOf`; inline code is
 * only looked for on the line of a candidate. Whole-text multiline regexes cost ~5 ms per MiB of README.
 */
import type { Span } from '../../pipeline/types.js';

export interface CommentSpan extends Span {
  kind: 'html' | 'markdown';
  /** The text inside the comment markers. */
  body: string;
}

/** A markdown comment line, tried (sticky) at the start of a line that holds `]:`. */
const MARKDOWN_COMMENT = /[ \t]{0,3}\[(?:\/\/|comment|_|#)\]:[ \t]{0,3}(?:#|<>)[ \t]{0,3}[("']([^\n]{0,2000})[)"'][ \t]*(?=\n|$)/y;
const WORD = /\p{L}{2}/u;
const INLINE_CODE = /`[^`\n]{1,1000}`/g;

export function hasWords(body: string): boolean {
  return WORD.test(body);
}

function lineStart(raw: string, at: number): number {
  return raw.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(raw: string, at: number): number {
  const nl = raw.indexOf('\n', at);
  return nl < 0 ? raw.length : nl;
}

/** Where a fence (three or more backticks or tildes, indented at most three spaces) opens a line, or -1. */
function fenceAt(raw: string, at: number): { start: number; marker: string } | undefined {
  const start = lineStart(raw, at);
  if (at - start > 3 || !/^[ \t]*$/.test(raw.slice(start, at))) return undefined;
  const ch = raw[at] ?? '';
  let end = at;
  while (raw[end] === ch) end++;
  return { start, marker: raw.slice(at, end) };
}

/** Fenced code blocks, sorted; an unclosed fence runs to the end. */
export function fencedBlocks(raw: string): Span[] {
  const opens: { at: number; start: number; marker: string }[] = [];
  for (const marker of ['```', '~~~']) {
    for (let at = raw.indexOf(marker); at >= 0; at = raw.indexOf(marker, at + 3)) {
      const fence = fenceAt(raw, at);
      if (fence) {
        opens.push({ at, ...fence });
        at = lineEnd(raw, at) - 2;
      }
    }
  }
  opens.sort((a, b) => a.at - b.at);
  const blocks: Span[] = [];
  let open: { start: number; marker: string } | undefined;
  for (const fence of opens) {
    if (!open) open = fence;
    else if (fence.marker[0] === open.marker[0] && fence.marker.length >= open.marker.length) {
      blocks.push({ start: open.start, end: lineEnd(raw, fence.at) });
      open = undefined;
    }
  }
  if (open) blocks.push({ start: open.start, end: raw.length });
  return blocks;
}

/** Whether `at` lies inside an inline code span of its line. */
function inInlineCode(raw: string, at: number): boolean {
  const start = lineStart(raw, at);
  const line = raw.slice(start, lineEnd(raw, at));
  if (!line.includes('`')) return false;
  for (const m of line.matchAll(INLINE_CODE)) {
    if (start + m.index > at) return false;
    if (at < start + m.index + m[0].length) return true;
  }
  return false;
}

/** Whether a span starts inside one of the sorted ranges (binary search). */
function inside(at: number, ranges: readonly Span[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as Span;
    if (at < r.start) hi = mid - 1;
    else if (at >= r.end) lo = mid + 1;
    else return true;
  }
  return false;
}

function inCode(raw: string, at: number, fences: () => Span[]): boolean {
  return inside(at, fences()) || inInlineCode(raw, at);
}

function htmlComments(raw: string, fences: () => Span[], out: CommentSpan[]): void {
  for (let from = 0; ; ) {
    const start = raw.indexOf('<!--', from);
    if (start < 0) return;
    if (inCode(raw, start, fences)) {
      from = start + 4;
      continue;
    }
    const close = raw.indexOf('-->', start + 4);
    const end = close < 0 ? raw.length : close + 3;
    out.push({ kind: 'html', start, end, body: raw.slice(start + 4, close < 0 ? raw.length : close) });
    from = end;
  }
}

function markdownComments(raw: string, out: CommentSpan[]): void {
  let lastLine = -1;
  for (let at = raw.indexOf(']:'); at >= 0; at = raw.indexOf(']:', at + 2)) {
    const start = lineStart(raw, at);
    if (start === lastLine || at - start > 16) continue;
    lastLine = start;
    MARKDOWN_COMMENT.lastIndex = start;
    const m = MARKDOWN_COMMENT.exec(raw);
    if (m) out.push({ kind: 'markdown', start, end: start + m[0].length, body: m[1] ?? '' });
  }
}

/**
 * Every HTML and markdown comment in `raw` outside markdown code, worded or not, in text order; markdown
 * comments inside HTML comments are dropped.
 */
export function commentSpans(raw: string): CommentSpan[] {
  const hasHtml = raw.includes('<!--');
  if (!hasHtml && !raw.includes(']:')) return [];
  let blocks: Span[] | undefined;
  const fences = (): Span[] => (blocks ??= fencedBlocks(raw));
  const html: CommentSpan[] = [];
  if (hasHtml) htmlComments(raw, fences, html);
  const markdown: CommentSpan[] = [];
  markdownComments(raw, markdown);
  const outside = markdown.filter((m) => !inside(m.start, html) && !inCode(raw, m.start, fences));
  return [...html, ...outside].sort((a, b) => a.start - b.start);
}
