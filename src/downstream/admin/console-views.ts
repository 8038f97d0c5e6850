/**
 * The console's views (issue 17), rendered on the server from the admin API's own sources: upstreams
 * from the status document, findings from the audit log (stored masked: the excerpt is all that is
 * ever shown of a match), pins awaiting approval with their field-by-field diff. Each view is a page
 * that reads without JavaScript; its forms (filters, Approve/Reject) work as plain HTML forms.
 */
import type { StatusDocument } from '../../config/index.js';
import { SEVERITIES, type FindingsPage, type PinDiff, type StoredFinding } from '../../core/index.js';
import { esc, raw, table } from './console-layout.js';

/** `charts`: the SVG figures of console-charts.ts. */
export function upstreamsView(status: StatusDocument, charts: string): string {
  const rows = status.upstreams.map((u) => [
    u.name,
    raw(`<span class="state state-${esc(u.state)}">${esc(u.state)}</span>`),
    u.transport,
    u.restarts,
    `${u.counts.tools} / ${u.counts.prompts} / ${u.counts.resources}`,
    raw(u.withheld.length > 0 ? `<ul class="plain">${u.withheld.map((w) => `<li>${esc(w.kind)} ${esc(w.name)}</li>`).join('')}</ul>` : '—'),
    raw(u.held.length > 0 ? `<ul class="plain">${u.held.map((h) => `<li><a href="/console/pins#${esc(`pin-${u.name}-${h.kind}-${h.name}`)}">${esc(h.kind)} ${esc(h.name)}</a></li>`).join('')}</ul>` : '—'),
    raw(u.lastError ? `<details><summary>${esc(u.lastError.message)}</summary><p>at ${esc(u.lastError.at)}</p><pre>${esc(u.lastError.stderr.join('\n'))}</pre></details>` : '—'),
  ]);
  const f = status.findings;
  return [
    `<p class="summary">Version ${esc(status.version)}, up ${esc(status.uptimeSeconds)} s, ${status.ready ? 'ready' : '<strong>not ready</strong>'}; catalog ${status.catalog.tools} tools, ${status.catalog.prompts} prompts, ${status.catalog.resources} resources; ${f.total} findings (${f.lastHour} in the last hour); ${status.pins.awaitingApproval > 0 ? `<a href="/console/pins"><strong>${status.pins.awaitingApproval} awaiting approval</strong></a>` : 'nothing awaiting approval'}.</p>`,
    table('Upstreams', ['Name', 'State', 'Transport', 'Restarts', 'Tools / prompts / resources', 'Withheld', 'Held for approval', 'Last error'], rows, { id: 'upstreams', empty: 'no upstreams configured' }),
    `<section class="charts" aria-label="Charts">${charts}</section>`,
  ].join('\n');
}

export interface FindingFilters {
  severity?: string;
  upstream?: string;
  rule?: string;
}

/** One finding as a table row: the columns, then a details cell with its field path and identifiers. */
export function findingRow(f: StoredFinding): unknown[] {
  return [
    new Date(f.time).toISOString().replace('T', ' ').slice(0, 19),
    raw(`<span class="sev sev-${esc(f.severity)}">${esc(f.severity)}</span>`),
    f.rule,
    f.action,
    f.upstream,
    f.tool ?? '—',
    f.session ?? '—',
    raw(`<details><summary><code>${esc(f.excerpt || '—')}</code></summary><dl><dt>Finding</dt><dd>${esc(f.id)}</dd><dt>Reason</dt><dd>${esc(f.reason ?? '—')}</dd><dt>Field path</dt><dd><code>${esc(f.path || '(whole message)')}</code></dd><dt>Principal</dt><dd>${esc(f.principal ?? '—')}</dd><dt>Method</dt><dd>${esc(f.method)} (${esc(f.direction)})</dd><dt>Match hash</dt><dd><code>${esc(f.matchHash.slice(0, 16))}</code></dd></dl></details>`),
  ];
}

export const FINDING_COLUMNS = ['Time (UTC)', 'Severity', 'Rule', 'Action', 'Upstream', 'Tool', 'Session', 'Excerpt'] as const;

export function findingsView(page: FindingsPage, filters: FindingFilters, upstreams: readonly string[]): string {
  const option = (value: string, current: string | undefined, label = value) => `<option value="${esc(value)}"${value === (current ?? '') ? ' selected' : ''}>${esc(label)}</option>`;
  const form = `<form class="filters" method="get" action="/console/findings" role="search">
<label>Severity at least <select name="severity">${option('', filters.severity, 'any')}${SEVERITIES.map((s) => option(s, filters.severity)).join('')}</select></label>
<label>Upstream <select name="upstream">${option('', filters.upstream, 'any')}${upstreams.map((u) => option(u, filters.upstream)).join('')}</select></label>
<label>Rule <input name="rule" value="${esc(filters.rule ?? '')}" placeholder="secrets or secrets/*" size="18"></label>
<button type="submit">Filter</button>
<output id="live" aria-live="polite">live updates need JavaScript</output>
</form>`;
  return `${form}\n${table('Findings, newest first', FINDING_COLUMNS, page.findings.map(findingRow), { id: 'findings', empty: 'no findings match' })}`;
}

function diffTable(d: PinDiff): string {
  if (d.fields.length === 0) return '<p>No field differs (only the digest is known).</p>';
  const rows = d.fields.map((f) => `<tr><th scope="row">${esc(f.field)}</th><td><pre class="before">${f.before === undefined ? '<em>absent</em>' : esc(f.before)}</pre></td><td><pre class="after">${f.after === undefined ? '<em>absent</em>' : esc(f.after)}</pre></td></tr>`);
  return `<table class="diff"><caption>Changed fields${d.partial ? ' (partial: a definition was too long to keep)' : ''}</caption><thead><tr><th scope="col">Field</th><th scope="col">Trusted</th><th scope="col">Pending</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function decisionForm(d: PinDiff, decision: 'approve' | 'reject', csrf: string): string {
  return `<form method="post" action="/console/pins/${decision}" class="decide"><input type="hidden" name="target" value="${esc(`${d.upstream}/${d.item}`)}"><input type="hidden" name="kind" value="${esc(d.kind)}"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit" class="${decision}">${decision === 'approve' ? 'Approve' : 'Reject'}</button></form>`;
}

export function pinsView(held: readonly PinDiff[], csrf: string, notice?: string): string {
  const items = held.map(
    (d) => `<article class="pin" id="${esc(`pin-${d.upstream}-${d.kind}-${d.item}`)}" data-target="${esc(`${d.upstream}/${d.item}`)}">
<details>
<summary><span class="kind">${esc(d.kind)}</span> <strong>${esc(d.upstream)}/${esc(d.item)}</strong> — <span class="status">${esc(d.status)}</span> since ${esc(d.heldSince ?? '?')}</summary>
<p class="flagged"><strong>Flagged:</strong> ${esc(d.reason ?? 'changed definition')}</p>
${diffTable(d)}
<div class="actions">${decisionForm(d, 'approve', csrf)}${d.status === 'held' ? decisionForm(d, 'reject', csrf) : ''}</div>
</details>
</article>`,
  );
  return `${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ''}<section id="pins" aria-label="Pins awaiting approval">${items.length > 0 ? items.join('\n') : '<p class="empty">Nothing is held for approval.</p>'}</section>`;
}
