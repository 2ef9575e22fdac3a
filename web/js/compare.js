// The comparison page: a labelled set of areas (such as the aandachtswijken) against the
// other areas of the same level, over time, from /api/compare.
import { api } from './api.js';
import { applyI18n, fmt, label as indLabel, t } from './i18n.js';
import { lineChart } from './chart.js';

const $ = (id) => document.getElementById(id);
let indicators = [], result = null, seq = 0;

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}
function setStatus(msg) { $('status').textContent = msg || ''; }

function fillIndicators() {
  const cur = $('indicator').value;
  $('indicator').replaceChildren(...indicators.map((i) => option(i.key, indLabel(i) + (i.unit ? ' (' + i.unit + ')' : ''))));
  $('indicator').value = cur || (indicators.find((i) => i.key === 'lbm') || indicators[0]).key;
  const ind = indicators.find((i) => i.key === $('indicator').value);
  const levels = ['buurt', 'wijk', 'gemeente'].filter((l) => ind.coverage.some((c) => c.level === l));
  const lv = $('level').value;
  $('level').replaceChildren(...levels.map((l) => option(l, t('level.' + l))));
  if (levels.includes(lv)) $('level').value = lv;
}

async function load() {
  const my = ++seq;
  setStatus('');
  try {
    const { data } = await api('compare', { label: $('label').value, indicator: $('indicator').value, level: $('level').value });
    if (my !== seq) return;
    result = data;
  } catch (e) {
    if (my !== seq) return;
    result = null;
    setStatus(t('error', { msg: e.message }));
    return;
  }
  render();
}

function render() {
  if (!result) return;
  const ind = indicators.find((i) => i.key === result.indicator);
  const rows = result.series.map((r) => ({ year: r.year, value: r.members, parent: r.rest }));
  const fig = document.createElement('figure');
  fig.className = 'chart-box wide';
  const cap = document.createElement('figcaption');
  cap.textContent = indLabel(ind) + ': ' + result.label + ' — ' + t('cmp.members') + ' / ' + t('cmp.rest');
  fig.append(cap);
  if (rows.some((r) => Number.isFinite(r.value))) fig.append(lineChart(rows, { title: cap.textContent, refKey: 'none' }));
  $('cmp-chart').replaceChildren(fig);
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const c of [t('seg.col.year'), t('cmp.members'), 'n', t('cmp.rest'), 'n']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    hr.appendChild(th);
  }
  head.appendChild(hr);
  const body = document.createElement('tbody');
  for (const r of result.series) {
    const tr = document.createElement('tr');
    [String(r.year), fmt(r.members), String(r.n_members), fmt(r.rest), String(r.n_rest)].forEach((c, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row'; else td.className = 'num';
      td.textContent = c;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  $('cmp-table').replaceChildren(head, body);
  setStatus(result.series.length ? '' : t('seg.empty'));
  document.body.dataset.ready = '1';
}

async function main() {
  applyI18n(() => { fillIndicators(); render(); });
  let labels;
  try {
    labels = (await api('labels')).data;
    indicators = (await api('indicators')).data.filter((i) => i.coverage.length);
  } catch (e) {
    setStatus(t('error', { msg: e.message }));
    return;
  }
  if (!labels.length || !indicators.length) { setStatus(t('cmp.none')); return; }
  $('label').replaceChildren(...labels.map((l) => option(l.name, l.name + ' (' + l.n + ')')));
  fillIndicators();
  for (const id of ['label', 'level']) $(id).addEventListener('change', load);
  $('indicator').addEventListener('change', () => { fillIndicators(); load(); });
  await load();
}

main();
