/**
 * The console's HTML frame (issue 17): escaping, the page shell and a table helper. Every page is
 * complete server-rendered HTML (the tables read without JavaScript); console.js only enhances it.
 * Everything interpolated goes through `esc`; nothing user- or upstream-supplied is ever trusted as
 * markup (a poisoned tool's description is exactly what this page shows).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Marks already-escaped HTML, so `table` cells can hold markup. */
export interface Html {
  html: string;
}
export const raw = (html: string): Html => ({ html });

const cell = (value: unknown): string => (typeof value === 'object' && value !== null && 'html' in value ? (value as Html).html : esc(value));

export function table(caption: string, headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>, options: { id?: string; empty?: string } = {}): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.length > 0 ? rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n') : `<tr class="empty"><td colspan="${headers.length}">${esc(options.empty ?? 'nothing yet')}</td></tr>`;
  return `<table${options.id ? ` id="${esc(options.id)}"` : ''}><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export type View = 'upstreams' | 'findings' | 'pins' | 'flows';
const VIEWS: ReadonlyArray<[View, string, string]> = [
  ['upstreams', 'Upstreams', '/console'],
  ['findings', 'Findings', '/console/findings'],
  ['pins', 'Pins', '/console/pins'],
  ['flows', 'Flows', '/console/flows'],
];

export interface PageOptions {
  view: View;
  title: string;
  csrf: string;
  body: string;
}

export function page(options: PageOptions): string {
  const nav = VIEWS.map(([view, label, href]) => `<a href="${href}"${view === options.view ? ' aria-current="page"' : ''}>${esc(label)}</a>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="csrf-token" content="${esc(options.csrf)}">
<title>${esc(options.title)} · mcp-watchdog</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/console.js"></script>
</head>
<body data-view="${esc(options.view)}">
<a class="skip" href="#main">Skip to content</a>
<header><strong>mcp-watchdog</strong><nav aria-label="Views">${nav}</nav></header>
<main id="main" tabindex="-1">
<h1>${esc(options.title)}</h1>
${options.body}
</main>
</body>
</html>
`;
}

/** Security headers of every console response: no framing, no foreign scripts, no caching of audit data. */
export const CONSOLE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;
