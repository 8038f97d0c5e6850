// mcp-watchdog console (issue 17): progressive enhancement of the server-rendered pages. Without this
// script every table still reads and every form still works; with it the findings feed is live
// (server-sent events, same filters as the form) and Approve/Reject act in place.
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

function text(tag, value, className) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = value ?? '';
  return el;
}

function findingRow(f) {
  const tr = document.createElement('tr');
  tr.className = 'fresh';
  tr.dataset.id = f.id;
  const cells = [
    new Date(f.time).toISOString().replace('T', ' ').slice(0, 19),
    null, f.rule, f.action, f.upstream, f.tool ?? '—', f.session ?? '—', null,
  ];
  cells.forEach((value, i) => {
    const td = document.createElement('td');
    if (i === 1) td.append(text('span', f.severity, `sev sev-${f.severity}`));
    else if (i === 7) {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.append(text('code', f.excerpt || '—'));
      const dl = document.createElement('dl');
      for (const [k, v] of [['Finding', f.id], ['Reason', f.reason ?? '—'], ['Field path', f.path || '(whole message)'], ['Principal', f.principal ?? '—'], ['Method', `${f.method} (${f.direction})`], ['Match hash', (f.matchHash ?? '').slice(0, 16)]]) {
        dl.append(text('dt', k), text('dd', v));
      }
      details.append(summary, dl);
      td.append(details);
    } else td.textContent = value;
    tr.append(td);
  });
  return tr;
}

function liveFindings() {
  const table = document.querySelector('#findings tbody');
  const status = document.getElementById('live');
  if (!table || !window.EventSource) return;
  const form = document.querySelector('form.filters');
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (v !== '') params.set(k, v);
  const source = new EventSource(`/console/events?${params}`);
  source.addEventListener('open', () => { status.textContent = 'live'; });
  source.addEventListener('error', () => { status.textContent = 'reconnecting…'; });
  source.addEventListener('finding', (event) => {
    table.querySelector('tr.empty')?.remove();
    table.prepend(findingRow(JSON.parse(event.data)));
    while (table.rows.length > 500) table.deleteRow(-1);
  });
  // Changing a filter reloads the page with it (the same GET the form makes without JavaScript).
  form.addEventListener('change', () => form.requestSubmit());
}

function inPlaceDecisions() {
  for (const form of document.querySelectorAll('form.decide')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = new URLSearchParams(new FormData(form));
      body.set('csrf', csrf);
      const article = form.closest('article');
      const status = article?.querySelector('.status');
      const response = await fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        if (status) status.textContent = `failed: ${answer.error ?? response.status}`;
        return;
      }
      const decided = answer.changed?.[0]?.status ?? 'done';
      if (status) status.textContent = decided === 'pinned' ? 'approved' : decided;
      article?.classList.add('decided');
      for (const button of article?.querySelectorAll('button') ?? []) button.disabled = true;
    });
  }
}

liveFindings();
inPlaceDecisions();
