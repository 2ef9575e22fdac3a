// The segregation page: D, H and M (with the part between districts) for a municipality
// over the years, for a set of groups, from /api/segregation.
import { api } from './api.js';
import { applyI18n, fmt, t } from './i18n.js';
import { multiChart } from './chart.js';

const $ = (id) => document.getElementById(id);
const PRESETS = [
  { id: 'migratie', groups: ['a_w_all', 'a_nw_all'], total: 'a_inw', other: 1 },
  { id: 'opleiding', groups: ['p_opl_laag', 'p_opl_mid', 'p_opl_hoog'], total: 'a_hh', other: 0 },
  { id: 'inkomen', groups: ['p_hh_li'], total: 'a_hh', other: 1 },
];
let presets = [], result = null, seq = 0;

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function setStatus(msg) { $('status').textContent = msg || ''; }

function fillPresets() {
  const sel = $('preset');
  const cur = sel.value;
  sel.replaceChildren(...presets.map((p) => option(p.id, t('seg.preset.' + p.id))));
  if (cur) sel.value = cur;
}

async function load() {
  const my = ++seq;
  const p = presets.find((x) => x.id === $('preset').value);
  if (!p || !$('gm').value) return;
  setStatus(t('seg.loading'));
  try {
    const q = { groups: p.groups.join(','), in: $('gm').value, unit: $('unit').value, other: p.other, excess: 'drop' };
    if (p.total) q.total = p.total;
    const { data } = await api('segregation', q);
    if (my !== seq) return;
    result = data;
  } catch (e) {
    if (my !== seq) return;
    result = null;
    setStatus(t('error', { msg: e.message }));
    $('seg-chart').replaceChildren();
    $('seg-table').replaceChildren();
    return;
  }
  render();
}

function render() {
  if (!result) return;
  const rows = result.results.filter((r) => r.code === $('gm').value);
  setStatus(rows.length ? '' : t('seg.empty'));
  const chartRows = rows.map((r) => ({ year: r.year, D: r.D, H: r.H, M: r.M, Mb: r.M_between }));
  $('seg-chart').replaceChildren();
  if (rows.length) {
    const fig = document.createElement('figure');
    fig.className = 'chart-box wide';
    fig.appendChild(multiChart(chartRows, [
      { key: 'D', cls: 'area', label: 'D' },
      { key: 'H', cls: 'parent', label: 'H' },
      { key: 'M', cls: 'ref', label: 'M' },
    ], { title: t('seg.chart') + ' — ' + (rows[0].name || rows[0].code) }));
    $('seg-chart').appendChild(fig);
  }
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  const cols = [t('seg.col.year'), t('seg.col.units'), t('seg.col.population'), 'D', 'H', 'M', t('seg.col.between'),
    ...result.groups.map((g) => t('seg.col.isolation') + ' ' + g)];
  for (const c of cols) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    hr.appendChild(th);
  }
  head.appendChild(hr);
  const body = document.createElement('tbody');
  for (const r of rows) {
    const tr = document.createElement('tr');
    const cells = [String(r.year), String(r.n_units), fmt(r.population, 0), fmt(r.D, 3), fmt(r.H, 3), fmt(r.M, 4),
      Number.isFinite(r.between_share) ? fmt(100 * r.between_share, 0) + '%' : '—', ...r.isolation.map((v) => fmt(v, 3))];
    cells.forEach((c, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row';
      else td.className = 'num';
      td.textContent = c;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  $('seg-table').replaceChildren(head, body);
  $('seg-source').textContent = result.source ? 'Bron: ' + result.source : '';
  document.body.dataset.ready = '1';
}

// The municipality to open on when none is asked for: the one with the most buurten that
// have the first group of the preset in its latest year (the first by name often has none).
async function withData(p, catalogue) {
  const ind = catalogue.find((i) => i.key === p.groups[0]);
  const cov = ind && ind.coverage.filter((c) => c.level === 'buurt').sort((a, b) => b.year - a.year)[0];
  if (!cov) return null;
  const { data } = await api('values', { indicator: ind.key, level: 'buurt', year: cov.year, boundary_year: cov.boundary_year });
  const count = new Map();
  for (const v of data) {
    if (v.value === null || !/^BU/.test(v.code)) continue;
    const gm = 'GM' + v.code.slice(2, 6);
    count.set(gm, (count.get(gm) || 0) + 1);
  }
  let best = null;
  for (const [gm, n] of count) if (!best || n > count.get(best)) best = gm;
  return best;
}

async function main() {
  applyI18n(() => { fillPresets(); render(); });
  let inds, gms, catalogue;
  try {
    catalogue = (await api('indicators')).data.filter((i) => i.coverage.length);
    inds = new Set(catalogue.map((i) => i.key));
    gms = (await api('areas', { level: 'gemeente' })).data;
  } catch (e) {
    setStatus(t('error', { msg: e.message }));
    return;
  }
  presets = PRESETS.filter((p) => p.groups.every((g) => inds.has(g)) && (!p.total || inds.has(p.total)));
  if (!presets.length) { setStatus(t('seg.none')); return; }
  fillPresets();
  const latest = new Map();
  for (const g of gms) latest.set(g.code, g); // ordered by year: the last is the latest
  const list = [...latest.values()].sort((a, b) => (a.name || a.code).localeCompare(b.name || b.code));
  $('gm').replaceChildren(...list.map((g) => option(g.code, (g.name || g.code) + ' (' + g.code + ')')));
  const want = new URLSearchParams(location.search).get('in');
  if (want && latest.has(want)) {
    $('gm').value = want;
  } else {
    const p = presets.find((x) => x.id === $('preset').value) || presets[0];
    const best = await withData(p, catalogue).catch(() => null);
    if (best && latest.has(best)) $('gm').value = best;
  }
  $('unit').replaceChildren(option('buurt', t('level.buurt')), option('wijk', t('level.wijk')));
  for (const id of ['gm', 'preset', 'unit']) $(id).addEventListener('change', load);
  await load();
}

main();
