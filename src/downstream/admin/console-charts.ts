/**
 * The console's two small charts (issue 17), drawn on the server as inline SVG (no script, no chart
 * library; presentation attributes only, so the page's Content-Security-Policy needs no inline styles):
 * findings per hour by severity over the last 24 hours, from the audit log, and calls per upstream by
 * outcome since the process started, from the request counter `/metrics` already exports. Each chart
 * carries a text table of the same numbers for screen readers and for reading without images.
 */
import { SEVERITIES, severityRank, type StoredFinding } from '../../core/index.js';
import { esc } from './console-layout.js';
import type { UpstreamCalls } from './metrics.js';

const HOUR_MS = 3_600_000;
const HOURS = 24;
/** Severity colours readable on light and dark backgrounds alike. */
const COLOURS: Record<string, string> = { critical: '#d93025', high: '#e8710a', medium: '#d5a100', low: '#4285f4', info: '#9aa0a6' };

export function findingsPerHour(findings: readonly StoredFinding[], now: number): string {
  const start = Math.floor(now / HOUR_MS) * HOUR_MS - (HOURS - 1) * HOUR_MS;
  const buckets = Array.from({ length: HOURS }, () => new Map<string, number>());
  for (const f of findings) {
    const i = Math.floor((f.time - start) / HOUR_MS);
    const bucket = buckets[i];
    if (bucket) bucket.set(f.severity, (bucket.get(f.severity) ?? 0) + 1);
  }
  const totals = buckets.map((b) => [...b.values()].reduce((a, n) => a + n, 0));
  const max = Math.max(1, ...totals);
  const width = 24 * 20;
  const height = 100;
  const bars = buckets.flatMap((bucket, i) => {
    let y = height;
    return [...SEVERITIES].sort((a, b) => severityRank(a) - severityRank(b)).flatMap((s) => {
      const n = bucket.get(s) ?? 0;
      if (n === 0) return [];
      const h = Math.max(1, Math.round((n / max) * (height - 4)));
      y -= h;
      return [`<rect x="${i * 20 + 2}" y="${y}" width="16" height="${h}" fill="${COLOURS[s]}"><title>${n} ${s}</title></rect>`];
    });
  });
  const hourLabel = (i: number) => new Date(start + i * HOUR_MS).toISOString().slice(11, 13);
  const labels = [0, 6, 12, 18, 23].map((i) => `<text x="${i * 20 + 10}" y="${height + 14}" text-anchor="middle" font-size="10" fill="currentColor">${hourLabel(i)}h</text>`);
  const legend = SEVERITIES.map((s, i) => `<rect x="${i * 70}" y="${height + 22}" width="10" height="10" fill="${COLOURS[s]}"/><text x="${i * 70 + 14}" y="${height + 31}" font-size="10" fill="currentColor">${s}</text>`);
  const rows = buckets.map((b, i) => (totals[i] ? `<tr><td>${hourLabel(i)}h</td><td>${SEVERITIES.filter((s) => b.get(s)).map((s) => `${s} ${b.get(s)}`).join(', ')}</td></tr>` : '')).join('');
  return `<figure class="chart" id="findings-per-hour"><figcaption>Findings per hour by severity, last 24 hours (UTC)</figcaption>
<svg viewBox="0 0 ${width} ${height + 36}" role="img" aria-label="Findings per hour by severity">${bars.join('')}${labels.join('')}${legend.join('')}</svg>
<details><summary>Numbers</summary><table><tbody>${rows || '<tr><td>none</td></tr>'}</tbody></table></details></figure>`;
}

export function callsPerUpstream(calls: readonly UpstreamCalls[]): string {
  const shown = calls.filter((c) => c.ok + c.error + c.blocked > 0);
  const max = Math.max(1, ...shown.map((c) => c.ok + c.error + c.blocked));
  const row = 22;
  const width = 480;
  const bars = shown.map((c, i) => {
    let x = 110;
    const parts = (['ok', 'blocked', 'error'] as const).map((k) => {
      const w = Math.round((c[k] / max) * (width - 170));
      const rect = w > 0 ? `<rect x="${x}" y="${i * row + 4}" width="${w}" height="14" fill="${k === 'ok' ? '#1e8e3e' : k === 'blocked' ? '#d93025' : '#e8710a'}"><title>${c[k]} ${k}</title></rect>` : '';
      x += w;
      return rect;
    });
    return `<text x="104" y="${i * row + 15}" text-anchor="end" font-size="11" fill="currentColor">${esc(c.upstream || '(gateway)')}</text>${parts.join('')}<text x="${x + 6}" y="${i * row + 15}" font-size="11" fill="currentColor">${c.ok + c.error + c.blocked}</text>`;
  });
  const rows = shown.map((c) => `<tr><td>${esc(c.upstream || '(gateway)')}</td><td>${c.ok} ok, ${c.blocked} blocked, ${c.error} error</td></tr>`).join('');
  return `<figure class="chart" id="calls-per-upstream"><figcaption>Calls per upstream since start (green ok, red blocked, orange error)</figcaption>
${shown.length > 0 ? `<svg viewBox="0 0 ${width} ${shown.length * row + 6}" role="img" aria-label="Calls per upstream">${bars.join('')}</svg>` : '<p>No calls yet.</p>'}
<details><summary>Numbers</summary><table><tbody>${rows || '<tr><td>none</td></tr>'}</tbody></table></details></figure>`;
}
