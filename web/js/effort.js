// The effort page (issue 7): a map of the gaps (areas that need attention, with and without
// matching effort), the overlaps with the partners to bring together, and a scatter plot of
// effort per inhabitant against the score with Spearman's rank correlation.
import { api } from './api.js';
import { applyI18n, fmt } from './i18n.js';
import { NODATA } from './colors.js';
import { et, initiativeRef } from './effort-common.js';

const SVGNS = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

// need without any initiative, need with some but not all weak dimensions addressed, need
// fully addressed, no need
export const GAP_COLORS = { none: '#8c0f0f', partial: '#ea6a2d', covered: '#4a90c8', ok: '#e8ecef' };

const state = { models: [], model: null, year: null, gaps: null, effort: null, overlaps: null, names: null, seq: 0 };

function setStatus(msg) { $('status').textContent = msg || ''; }

function option(value, text) {
  const o = document.createElement('option');
  o.value = String(value);
  o.textContent = text;
  return o;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/* The state of an area on the gaps map. */
export function gapKind(a) {
  if (!a || a.status === 'none') return 'ok';
  if (a.status === 'covered') return 'covered';
  return a.initiatives.length ? 'partial' : 'none';
}

function translateStatic() {
  for (const e of document.querySelectorAll('[data-e]')) e.textContent = et(e.dataset.e);
}

/* ---- geometry (as on the map page: equirectangular on WGS84 GeoJSON) ---- */

function polygons(geom) {
  if (!geom) return [];
  return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

function project(features) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of features)
    for (const poly of polygons(f.geometry))
      for (const p of poly[0]) {
        minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
      }
  const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180), S = 10000;
  return { S, k, minX, maxY, w: (maxX - minX) * k * S, h: (maxY - minY) * S };
}

function pathData(geom, pr) {
  let d = '';
  for (const poly of polygons(geom))
    for (const ring of poly) {
      for (let i = 0; i < ring.length - 1; i++)
        d += (i ? 'L' : 'M') + ((ring[i][0] - pr.minX) * pr.k * pr.S).toFixed(1) + ' ' + ((pr.maxY - ring[i][1]) * pr.S).toFixed(1);
      d += 'Z';
    }
  return d;
}

function dimLabel(w) { return w.label || w.dim; }

function areaText(a, name) {
  const kind = gapKind(a);
  let s = name + ': ' + et('kind.' + kind);
  if (a && a.status !== 'none') {
    s += '. ' + et('gaps.need') + ': ' + a.need.map((n) => et('need.' + n)).join(', ');
    if (a.gaps.length) s += '. ' + et('gaps.gaps') + ': ' + a.weak.filter((w) => !w.initiatives.length).map(dimLabel).join(', ');
  }
  if (a && a.initiatives.length) s += '. ' + et('gaps.initiatives') + ': ' + a.initiatives.map((i) => '#' + i).join(', ');
  return s;
}

async function drawMap() {
  const g = state.gaps;
  const svg = $('gaps-map');
  let data;
  try {
    data = (await api('geojson', { level: g.level, year: g.boundary_year })).data;
  } catch (e) {
    svg.replaceChildren();
    setStatus(et('map.nogeo'));
    return;
  }
  const pr = project(data.features);
  const byCode = new Map(g.areas.map((a) => [a.code, a]));
  const grp = document.createElementNS(SVGNS, 'g');
  for (const f of data.features) {
    const a = byCode.get(f.properties.code);
    const p = document.createElementNS(SVGNS, 'path');
    p.setAttribute('d', pathData(f.geometry, pr));
    p.setAttribute('tabindex', '0');
    p.setAttribute('role', 'link');
    p.setAttribute('fill', a ? GAP_COLORS[gapKind(a)] : NODATA);
    p.dataset.code = f.properties.code;
    p.dataset.kind = a ? gapKind(a) : 'noscore';
    const name = (f.properties.name || f.properties.code) + ' (' + f.properties.code + ')';
    p.dataset.text = a ? areaText(a, name) : name + ': ' + et('kind.noscore');
    p.setAttribute('aria-label', p.dataset.text);
    grp.appendChild(p);
  }
  svg.replaceChildren(grp);
  svg.setAttribute('viewBox', '0 0 ' + pr.w.toFixed(0) + ' ' + pr.h.toFixed(0));
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  state.names = new Map(data.features.map((f) => [f.properties.code, f.properties.name || f.properties.code]));
  drawLegend();
}

/* Texts of the map in the current language, without redrawing it (keeps focus). */
function relabelMap() {
  if (!state.names) return;
  const byCode = new Map(state.gaps.areas.map((a) => [a.code, a]));
  for (const p of $('gaps-map').querySelectorAll('path[data-code]')) {
    const a = byCode.get(p.dataset.code);
    const name = state.names.get(p.dataset.code) + ' (' + p.dataset.code + ')';
    p.dataset.text = a ? areaText(a, name) : name + ': ' + et('kind.noscore');
    p.setAttribute('aria-label', p.dataset.text);
  }
  drawLegend();
}

function drawLegend() {
  const legend = $('gaps-legend');
  const h = el('h2', null, et('legend.title'));
  const ul = el('ul');
  for (const k of ['none', 'partial', 'covered', 'ok']) {
    const li = el('li');
    const sw = el('span', 'swatch');
    sw.style.background = GAP_COLORS[k];
    li.append(sw, document.createTextNode(et('kind.' + k)));
    ul.appendChild(li);
  }
  const li = el('li');
  const sw = el('span', 'swatch');
  sw.style.background = NODATA;
  li.append(sw, document.createTextNode(et('kind.noscore')));
  ul.appendChild(li);
  legend.replaceChildren(h, ul);
}

function showTip(p, x, y) {
  const tip = $('tooltip');
  tip.textContent = p.dataset.text;
  tip.hidden = false;
  const wrap = $('gaps-map').parentElement.getBoundingClientRect();
  tip.style.left = Math.max(0, Math.min(x - wrap.left + 14, wrap.width - tip.offsetWidth - 4)) + 'px';
  tip.style.top = Math.max(0, y - wrap.top + 14) + 'px';
}

function drawGapsTable() {
  const g = state.gaps;
  const s = g.summary;
  $('gaps-summary').textContent = et('gaps.summary', {
    scored: s.scored, need: s.need, gap: s.gap, covered: s.covered, considered: s.considered, year: g.year,
    brk: g.break_year || '—', model: g.model,
  }) + (g.unmapped ? ' ' + et('gaps.unmapped', { themes: g.unmapped }) : '') + (g.themes_map ? '' : ' ' + et('gaps.nomap'));
  const head = el('thead');
  const hr = el('tr');
  for (const k of ['col.area', 'col.need', 'col.weak', 'col.addressed', 'col.gaps']) {
    const th = el('th', null, et(k));
    th.scope = 'col';
    hr.appendChild(th);
  }
  head.appendChild(hr);
  const body = el('tbody');
  const need = g.areas.filter((a) => a.status !== 'none').sort((a, b) => (b.gaps.length - a.gaps.length) || (a.score - b.score));
  for (const a of need) {
    const tr = el('tr');
    const th = el('th');
    th.scope = 'row';
    const link = el('a', null, (a.name || a.code) + ' (' + a.code + ')');
    link.href = 'profile.html?' + new URLSearchParams({ code: a.code, year: g.boundary_year });
    th.appendChild(link);
    tr.appendChild(th);
    tr.appendChild(el('td', null, a.need.map((n) => et('need.' + n)).join(', ')));
    tr.appendChild(el('td', null, a.weak.map((w) => dimLabel(w) + ' (z ' + fmt(w.z, 2) + ')').join('; ')));
    const td = el('td');
    const addressed = a.weak.filter((w) => w.initiatives.length);
    addressed.forEach((w, i) => {
      if (i) td.append('; ');
      td.append(dimLabel(w) + ': ');
      w.initiatives.forEach((id, k) => { if (k) td.append(', '); td.append(initiativeRef(id)); });
    });
    if (!addressed.length) td.textContent = '—';
    tr.appendChild(td);
    const gaps = a.weak.filter((w) => !w.initiatives.length).map(dimLabel);
    tr.appendChild(el('td', gaps.length ? 'gap-status-gap' : 'gap-status-covered', gaps.length ? gaps.join(', ') : et('kind.covered')));
    tr.dataset.code = a.code;
    body.appendChild(tr);
  }
  $('gaps-table').replaceChildren(head, body);
}

function drawOverlaps() {
  const o = state.overlaps;
  const ul = $('overlaps');
  if (!o.pairs.length) {
    ul.replaceChildren(el('li', null, et('overlaps.none')));
    return;
  }
  ul.replaceChildren(...o.pairs.map((x) => {
    const li = el('li');
    li.dataset.a = x.a.id;
    li.dataset.b = x.b.id;
    li.append(el('div', 'theme', x.themes + ' — ' + et('rel.' + x.relation) + ' (' + [x.area_a, x.area_b].filter((v, i, s) => s.indexOf(v) === i).join(', ') + ')'));
    for (const s of [x.a, x.b]) {
      const d = el('div');
      d.append(initiativeRef(s.id, s.title), ' — ' + et('overlaps.lead') + ' ' + s.lead);
      li.append(d);
    }
    li.append(el('div', 'hint', et('overlaps.period', { from: x.from || '…', to: x.to || '…' })));
    li.append(el('div', 'who', et('overlaps.talk') + ': ' + x.partners));
    return li;
  }));
}

/* ---- the scatter plot of effort against the score ---- */

function drawScatter() {
  const e = state.effort;
  const measure = $('measure').value;
  const key = measure === 'hours' ? 'hours_per_inh' : 'eur_per_inh';
  const need = new Set(state.gaps ? state.gaps.areas.filter((a) => a.status !== 'none').map((a) => a.code) : []);
  const pts = e.areas.filter((a) => Number.isFinite(a.score) && Number.isFinite(a[key]));
  const W = 720, H = 420, L = 64, R = 16, T = 16, B = 48;
  const svg = $('scatter');
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  svg.replaceChildren();
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    svg.appendChild(n);
    return n;
  };
  if (!pts.length) {
    add('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, et('scatter.empty'));
    $('scatter-cap').textContent = '';
    $('rho').textContent = '';
    return;
  }
  let x0 = Math.min(...pts.map((p) => p.score)), x1 = Math.max(...pts.map((p) => p.score));
  let y1 = Math.max(...pts.map((p) => p[key]));
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (!(y1 > 0)) y1 = 1;
  const sx = (v) => L + ((v - x0) / (x1 - x0)) * (W - L - R);
  const sy = (v) => H - B - (v / y1) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const yv = (y1 * i) / 4, xv = x0 + ((x1 - x0) * i) / 4;
    add('line', { class: 'grid', x1: L, x2: W - R, y1: sy(yv), y2: sy(yv) });
    add('text', { x: L - 6, y: sy(yv) + 4, 'text-anchor': 'end' }, fmt(yv));
    add('text', { x: sx(xv), y: H - B + 16, 'text-anchor': 'middle' }, fmt(xv));
  }
  add('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B });
  add('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B });
  add('text', { x: (L + W - R) / 2, y: H - 8, 'text-anchor': 'middle' }, et('scatter.x', { model: e.model, year: e.score_year }));
  add('text', { x: 14, y: (T + H - B) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 14 ' + (T + H - B) / 2 + ')' },
    et(measure === 'hours' ? 'scatter.hours' : 'scatter.eur') + ', ' + e.year);
  for (const p of pts) {
    const c = add('circle', { cx: sx(p.score).toFixed(1), cy: sy(p[key]).toFixed(1), r: 5, tabindex: 0,
      class: need.has(p.code) ? 'need' : '' });
    c.dataset.code = p.code;
    const txt = (p.name || p.code) + ' (' + p.code + '): score ' + fmt(p.score) + ', ' + fmt(p[key]) + ' ' +
      et(measure === 'hours' ? 'scatter.hours' : 'scatter.eur');
    c.setAttribute('aria-label', txt);
    add('title', {}, txt);
    c.appendChild(svg.lastChild);
  }
  const rho = measure === 'hours' ? e.rank.rho_hours : e.rank.rho_eur;
  const p = measure === 'hours' ? e.rank.p_hours : e.rank.p_eur;
  $('scatter-cap').textContent = et('scatter.cap', { n: pts.length });
  $('rho').textContent = et('scatter.rho', { rho: fmt(rho, 3), p: fmt(p, 3), n: e.rank.n }) + ' ' +
    (Number.isFinite(rho) ? et(rho < -0.1 ? 'scatter.toneed' : rho > 0.1 ? 'scatter.away' : 'scatter.flat') : '');
  svg.setAttribute('aria-label', et('scatter.title') + '. ' + $('rho').textContent);
}

/* ---- loading ---- */

async function load() {
  const seq = ++state.seq;
  setStatus(et('loading'));
  const model = state.model;
  try {
    const [gaps, overlaps] = await Promise.all([
      api('gaps', { model, level: 'buurt', all: 1 }),
      api('overlaps', {}),
    ]);
    if (seq !== state.seq) return;
    state.gaps = gaps.data;
    state.overlaps = overlaps.data;
    if (!state.year) state.year = state.gaps.year;
    fillYears();
    state.effort = (await api('effort', { model, year: state.year, level: 'buurt' })).data;
  } catch (e) {
    if (seq !== state.seq) return;
    setStatus(et('error', { msg: e.message }));
    return;
  }
  if (seq !== state.seq) return;
  await drawMap();
  drawGapsTable();
  drawOverlaps();
  drawScatter();
  setStatus('');
  document.body.dataset.ready = '1'; // for the browser test
}

async function loadEffort() {
  try {
    state.effort = (await api('effort', { model: state.model, year: state.year, level: 'buurt' })).data;
    drawScatter();
  } catch (e) {
    setStatus(et('error', { msg: e.message }));
  }
}

function fillYears() {
  const now = new Date().getFullYear();
  const base = state.gaps ? state.gaps.year : now;
  const years = [];
  for (let y = Math.max(now + 1, base); y >= base - 8; y--) years.push(y);
  $('year').replaceChildren(...years.map((y) => option(y, String(y))));
  $('year').value = String(state.year);
}

function redrawAll() {
  translateStatic();
  if (state.gaps) { relabelMap(); drawGapsTable(); drawOverlaps(); drawScatter(); }
}

async function main() {
  applyI18n(redrawAll);
  translateStatic();
  const svg = $('gaps-map');
  svg.addEventListener('pointermove', (e) => { const p = e.target.closest('path'); if (p) showTip(p, e.clientX, e.clientY); });
  svg.addEventListener('pointerleave', () => { $('tooltip').hidden = true; });
  svg.addEventListener('focusin', (e) => {
    const p = e.target.closest('path');
    if (p) { const r = p.getBoundingClientRect(); showTip(p, r.left + r.width / 2, r.top + r.height / 2); }
  });
  svg.addEventListener('focusout', () => { $('tooltip').hidden = true; });
  const open = (p) => { location.href = 'profile.html?' + new URLSearchParams({ code: p.dataset.code, year: state.gaps.boundary_year }); };
  svg.addEventListener('click', (e) => { const p = e.target.closest('path'); if (p) open(p); });
  svg.addEventListener('keydown', (e) => {
    const p = e.target.closest('path');
    if (p && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); open(p); }
  });
  $('measure').addEventListener('change', drawScatter);
  $('year').addEventListener('change', (e) => { state.year = Number(e.target.value); loadEffort(); });
  $('model').addEventListener('change', (e) => { state.model = e.target.value; load(); });
  try {
    state.models = (await api('models')).data;
  } catch (e) {
    setStatus(et('error', { msg: e.message }));
    return;
  }
  if (!state.models.length) { setStatus(et('nomodels')); return; }
  const p = new URLSearchParams(location.search);
  const want = p.get('model');
  state.model = state.models.some((m) => m.name === want) ? want : (state.models.find((m) => m.name === 'lbm') || state.models[0]).name;
  state.year = Number(p.get('year')) || null;
  $('model').replaceChildren(...state.models.map((m) => option(m.name, m.title || m.name)));
  $('model').value = state.model;
  await load();
}

if (document.body.classList.contains('page-effort')) main();
