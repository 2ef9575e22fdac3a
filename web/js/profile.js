// The profile page of one area: values against the enclosing area and the nation, time
// series charts marking 2012, labels, a table of key figures, exports and a print view.
import { api, apiUrl } from './api.js';
import { applyI18n, fmt, getLang, label, t } from './i18n.js';
import { LBM_NAMES } from './colors.js';
import { chartLegend, lineChart } from './chart.js';
import { renderProfileGaps } from './profile-gaps.js';
import { groupChips, loadAnalysis, renderAnalysis } from './profile_analysis.js';
import { renderMobility } from './profile-mobility.js';

const $ = (id) => document.getElementById(id);
let profile = null;
let analysis = null;

function params() {
  const p = new URLSearchParams(location.search);
  return { code: p.get('code') || '', year: p.get('year') || '' };
}

function valueText(ind, v) {
  if (!Number.isFinite(v)) return '—';
  if (ind.key === 'lbm_klasse' && v >= 1 && v <= 9) return fmt(v, 0) + ' ' + (LBM_NAMES[getLang()] || LBM_NAMES.nl)[Math.round(v) - 1];
  return fmt(v);
}

/* The trend class: better/worse for indicators with a direction, up/down for neutral ones. */
function trendCell(ind) {
  const td = document.createElement('td');
  const tr = ind.trend;
  if (!tr || tr.class === 'unknown') { td.textContent = '—'; return td; }
  const neutral = ind.direction === 0;
  const key = neutral ? { improving: 'rising', stagnating: 'steady', declining: 'falling' }[tr.class] : tr.class;
  td.textContent = t('trend.' + key);
  td.className = 'trend trend-' + (neutral ? 'neutral' : tr.class);
  td.title = t('trend.title', { from: tr.first_year, to: tr.last_year, slope: fmt(tr.slope), p: fmt(tr.p, 3) }) +
    (Number.isFinite(tr.slope_before) ? ' ' + t('trend.title.break', { brk: tr.break_year, before: fmt(tr.slope_before), after: fmt(tr.slope_after) }) : '');
  return td;
}

function ordered(p) {
  const rank = (k) => { const i = p.key_indicators.indexOf(k); return i < 0 ? 1000 : i; };
  return p.indicators.slice().sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

function render() {
  const p = profile;
  if (!p) return;
  const a = p.area;
  document.title = 'Wijkbeeld — ' + (a.name || a.code);
  $('area-name').textContent = a.name || a.code;
  const meta = $('area-meta');
  meta.replaceChildren();
  const lvl = t('level.name.' + a.level);
  meta.append(document.createTextNode(lvl.charAt(0).toUpperCase() + lvl.slice(1) + ' ' + a.code));
  if (p.parent) {
    meta.append(document.createTextNode(' ' + t('profile.in') + ' '));
    const link = document.createElement('a');
    link.href = 'profile.html?' + new URLSearchParams({ code: p.parent.code, year: p.parent.year });
    link.textContent = (p.parent.name || p.parent.code) + ' (' + p.parent.code + ')';
    meta.append(link);
  }
  meta.append(document.createTextNode(' · ' + t('profile.boundaries') + ' ' + a.year));

  const labels = $('labels');
  labels.replaceChildren(...p.labels.map((l) => {
    const li = document.createElement('li');
    li.className = 'label';
    li.textContent = l.name;
    if (l.description) li.title = l.description;
    return li;
  }));
  labels.append(...groupChips(analysis));
  labels.hidden = labels.children.length === 0;

  $('export-csv').href = apiUrl('areas/' + encodeURIComponent(a.code), { year: a.year, format: 'csv' });
  const gj = $('export-geojson');
  gj.href = apiUrl('geojson', { level: a.level, year: a.year, code: a.code });
  gj.hidden = !a.has_geometry;

  // the reference column: the nation where stored, else the mean of the level (marked *)
  const inds = ordered(p);
  let usedMean = false;
  const refOf = (s) => {
    if (!s) return NaN;
    if (Number.isFinite(s.nation)) return s.nation;
    if (Number.isFinite(s.level_mean)) { usedMean = true; return s.level_mean; }
    return NaN;
  };

  // charts of the key indicators that have at least two years
  const charts = $('charts');
  charts.replaceChildren();
  const keyed = inds.filter((i) => i.key_indicator && i.series.filter((s) => Number.isFinite(s.value)).length >= 2);
  for (const ind of keyed) {
    const anyNation = ind.series.some((s) => Number.isFinite(s.nation));
    const fig = document.createElement('figure');
    fig.className = 'chart-box';
    const title = label(ind) + (ind.unit ? ' (' + ind.unit + ')' : '');
    const cap = document.createElement('figcaption');
    cap.textContent = title;
    fig.appendChild(cap);
    fig.appendChild(lineChart(ind.series, { title, refKey: anyNation ? 'nation' : 'level_mean',
      // a count of the area next to the count of its city or the country says nothing
      areaOnly: ind.unit === 'aantal' }));
    charts.appendChild(fig);
  }
  if (keyed.length) charts.appendChild(chartLegend());
  else {
    const none = document.createElement('p');
    none.textContent = t('profile.nocharts');
    charts.appendChild(none);
  }

  // the table of key figures: every indicator's latest value
  const table = $('key-table');
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const k of ['profile.col.indicator', 'profile.col.year', 'profile.col.value', 'profile.col.parent', 'profile.col.nation', 'profile.col.unit', 'profile.col.trend']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(k);
    hr.appendChild(th);
  }
  head.appendChild(hr);
  const body = document.createElement('tbody');
  for (const ind of inds) {
    const s = ind.latest;
    const tr = document.createElement('tr');
    if (ind.key_indicator) tr.className = 'key';
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label(ind);
    tr.appendChild(th);
    const nationMissing = s && !Number.isFinite(s.nation) && Number.isFinite(s.level_mean);
    const cells = [s ? String(s.year) : '—', valueText(ind, s && s.value), valueText(ind, s && s.parent),
      valueText(ind, refOf(s)) + (nationMissing ? ' *' : ''), ind.unit || ''];
    cells.forEach((c, i) => {
      const td = document.createElement('td');
      td.textContent = c;
      if (i >= 1 && i <= 3) td.className = 'num';
      tr.appendChild(td);
    });
    tr.appendChild(trendCell(ind));
    body.appendChild(tr);
  }
  table.replaceChildren(head, body);
  $('ref-note').textContent = usedMean ? t('profile.ref.mean') : '';
  renderAnalysis(p, analysis);
  setStatus('');
  document.body.dataset.ready = '1'; // for the browser test
}

function setStatus(msg) { $('status').textContent = msg || ''; }

async function main() {
  applyI18n(render);
  $('print').addEventListener('click', () => window.print());
  const { code, year } = params();
  setStatus(t('profile.loading'));
  try {
    profile = (await api('areas/' + encodeURIComponent(code), { year })).data;
  } catch (e) {
    setStatus(e.status === 404 || e.status === 400 ? t('profile.notfound') + ' ' + e.message : t('error', { msg: e.message }));
    return;
  }
  // score card, trend since 2012 and spatial cluster (profile_analysis.js)
  try { analysis = await loadAnalysis(profile); } catch (e) { analysis = null; }
  // its class path and the classes of its neighbours over time (profile-mobility.js)
  try { await renderMobility($('mobility-section'), profile); } catch (e) { /* no classes */ }
  // its gaps: need, weak dimensions and the initiatives that reach them (issue 7)
  try {
    const models = (await api('models')).data;
    await renderProfileGaps($('gaps-section'), profile.area.code, profile.area.year, models, profile.area.level);
  } catch (e) { /* no models */ }
  render();
}

main();
