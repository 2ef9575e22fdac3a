// The measured effect of one initiative, for the initiative page (branch collabweb):
//   import { renderEffect } from './effect.js';
//   renderEffect(document.getElementById('effect'), initiativeId);
// It fetches GET /api/initiatives/{id}/effect and shows, per target indicator, the
// difference against matched comparable areas with its interval, or why it cannot be
// measured yet ("once enough years have passed"), and the plain words of the API.
import { api } from './api.js';
import { fmt } from './i18n.js';
import { et } from './effort-common.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Build the panel from an effect report (the API's JSON). Exported for tests. */
export function effectPanel(r) {
  const box = el('section', 'effect-panel');
  box.setAttribute('aria-label', et('effect.title'));
  box.append(el('h2', null, et('effect.title')));
  const table = el('table');
  const head = el('thead');
  const hr = el('tr');
  for (const k of ['effect.col.indicator', 'effect.col.estimate', 'effect.col.interval', 'effect.col.areas',
    'effect.col.years', 'effect.col.status']) {
    const th = el('th', null, et(k));
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = el('tbody');
  for (const x of r.results) {
    const tr = el('tr');
    tr.dataset.indicator = x.indicator;
    tr.dataset.status = x.status;
    const th = el('th', null, x.indicator + (x.direction > 0 ? ' ↑' : x.direction < 0 ? ' ↓' : ''));
    th.scope = 'row';
    tr.append(th);
    const ok = x.status === 'ok';
    tr.append(el('td', 'num', ok ? fmt(x.estimate) : '—'));
    tr.append(el('td', 'num', ok && x.lo !== null ? fmt(x.lo) + ' … ' + fmt(x.hi) + ' (' + Math.round(100 * x.level) + '%)' : '—'));
    tr.append(el('td', 'num', ok ? x.treated + ' / ' + x.controls : '—'));
    tr.append(el('td', null, x.first_pre ? x.first_pre + '–' + x.last_pre + ' / ' + (x.first_post ? x.first_post + '–' + x.last_post : '…') : '—'));
    const st = el('td', null, et('effect.status.' + x.status));
    if (x.reason) st.title = x.reason;
    tr.append(st);
    body.append(tr);
  }
  table.append(head, body);
  box.append(table);
  box.append(el('p', 'effect-words', r.words));
  return box;
}

/** Fetch and show the effect of initiative @p id in @p container. Returns the report. */
export async function renderEffect(container, id, opts = {}) {
  container.replaceChildren(el('p', 'status', et('effect.loading')));
  try {
    const { data } = await api('initiatives/' + encodeURIComponent(id) + '/effect', opts);
    container.replaceChildren(data.measurable ? effectPanel(data) : el('p', 'status', data.reason));
    return data;
  } catch (e) {
    container.replaceChildren(el('p', 'status', et('error', { msg: e.message })));
    return null;
  }
}
