// The map page: a choropleth of any indicator for a chosen level and year, drawn as SVG
// from /api/geojson, coloured from /api/values, with a classed legend and a tooltip.
import { api } from './api.js';
import { applyI18n, fmt, getLang, label, t } from './i18n.js';
import { makeScale, NODATA } from './colors.js';

const SVGNS = 'http://www.w3.org/2000/svg';
const LEVEL_ORDER = ['gemeente', 'wijk', 'buurt', 'land'];
const $ = (id) => document.getElementById(id);

const state = {
  indicators: [],
  sel: { indicator: null, level: null, year: null },
  layers: new Map(), // "level|year" -> {features, paths: Map(code -> path), names}
  values: new Map(), // code -> value
  current: null,     // the layer on screen
  boundaryYear: null,
  scale: null,
  drawSeq: 0,
};

function setStatus(msg) { $('status').textContent = msg || ''; }

function indicator(key) { return state.indicators.find((i) => i.key === key); }

function levelsOf(ind) {
  const ls = new Set(ind.coverage.map((c) => c.level));
  return LEVEL_ORDER.filter((l) => ls.has(l));
}

function yearsOf(ind, level) {
  return [...new Set(ind.coverage.filter((c) => c.level === level).map((c) => c.year))].sort((a, b) => b - a);
}

/* The boundary year with the most values for (indicator, level, data year). */
function boundaryYearOf(ind, level, year) {
  let best = null;
  for (const c of ind.coverage)
    if (c.level === level && c.year === year && (!best || c.n > best.n || (c.n === best.n && c.boundary_year > best.boundary_year)))
      best = c;
  return best ? best.boundary_year : year;
}

function option(value, text) {
  const o = document.createElement('option');
  o.value = String(value);
  o.textContent = text;
  return o;
}

function fillSelects() {
  const usable = state.indicators.filter((i) => i.coverage.length);
  const is = $('indicator');
  is.replaceChildren(...usable.map((i) => option(i.key, label(i) + (i.unit ? ' (' + i.unit + ')' : ''))));
  is.value = state.sel.indicator;
  const ind = indicator(state.sel.indicator);
  const levels = levelsOf(ind);
  if (!levels.includes(state.sel.level)) state.sel.level = levels.includes('wijk') ? 'wijk' : levels[0];
  $('level').replaceChildren(...levels.map((l) => option(l, t('level.' + l))));
  $('level').value = state.sel.level;
  const years = yearsOf(ind, state.sel.level);
  if (!years.includes(state.sel.year)) state.sel.year = years[0];
  $('year').replaceChildren(...years.map((y) => option(y, String(y))));
  $('year').value = String(state.sel.year);
}

function saveUrl() {
  const p = new URLSearchParams({ indicator: state.sel.indicator, level: state.sel.level, year: state.sel.year });
  history.replaceState(null, '', '?' + p);
}

/* ---- geometry ---- */

/* The polygons of a Polygon or MultiPolygon geometry (none for a null geometry). */
function polygons(geom) {
  if (!geom) return [];
  return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

function project(features) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of features)
    for (const poly of polygons(f.geometry))
      for (const p of poly[0]) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
  // equirectangular with the cosine of the middle latitude: fine at the scale of the country
  const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
  const S = 10000;
  return { S, k, minX, maxY, w: (maxX - minX) * k * S, h: (maxY - minY) * S };
}

function pathData(geom, pr) {
  let d = '';
  for (const poly of polygons(geom))
    for (const ring of poly) {
      for (let i = 0; i < ring.length - 1; i++) {
        const x = (ring[i][0] - pr.minX) * pr.k * pr.S;
        const y = (pr.maxY - ring[i][1]) * pr.S;
        d += (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      }
      d += 'Z';
    }
  return d;
}

async function loadLayer(level, year) {
  const key = level + '|' + year;
  if (state.layers.has(key)) return state.layers.get(key);
  const { data } = await api('geojson', { level, year });
  const pr = project(data.features);
  const g = document.createElementNS(SVGNS, 'g');
  g.setAttribute('class', 'areas');
  const paths = new Map();
  const frag = document.createDocumentFragment();
  for (const f of data.features) {
    const p = document.createElementNS(SVGNS, 'path');
    p.setAttribute('d', pathData(f.geometry, pr));
    p.setAttribute('tabindex', '0');
    p.setAttribute('role', 'link');
    p.dataset.code = f.properties.code;
    p.dataset.name = f.properties.name || f.properties.code;
    frag.appendChild(p);
    paths.set(f.properties.code, p);
  }
  g.appendChild(frag);
  const layer = { key, level, year, g, paths, pr, features: data.features };
  state.layers.set(key, layer);
  return layer;
}

/* ---- drawing ---- */

/* A model's scores as map values: {data: [{code, value, klass}]}. */
async function scoreValues(ind, level, year, by) {
  const { data } = await api('score', { model: ind.model.name, level, year, boundary_year: by });
  return { data: data.results.map((r) => ({ code: r.code, value: r.score, klass: r.class })) };
}

async function draw() {
  const seq = ++state.drawSeq;
  const ind = indicator(state.sel.indicator);
  const { level, year } = state.sel;
  const by = boundaryYearOf(ind, level, year);
  setStatus(t('map.loading'));
  saveUrl();
  let layer, vals;
  try {
    [layer, vals] = await Promise.all([
      loadLayer(level, by),
      ind.model ? scoreValues(ind, level, year, by) : api('values', { indicator: ind.key, level, year, boundary_year: by }),
    ]);
  } catch (e) {
    if (seq !== state.drawSeq) return;
    setStatus(e.status === 404 ? t('map.nogeo', { year: by }) : t('error', { msg: e.message }));
    $('map').replaceChildren();
    $('legend').replaceChildren();
    return;
  }
  if (seq !== state.drawSeq) return; // a newer choice was made meanwhile
  state.values = new Map(vals.data.map((v) => [v.code, v.value]));
  state.boundaryYear = by;
  // a model's score: its nine classes where the model defines them for this year, else
  // nine classes around 0 in the same colours (scores are deviations or z-scores)
  const classed = ind.model && vals.data.some((v) => v.klass);
  const scaleOf = classed ? { key: 'lbm_klasse', unit: 'klasse' } : ind.model ? { key: 'lbm', unit: 'score', direction: 1 } : ind;
  state.scale = makeScale(scaleOf, vals.data.map((v) => (classed ? v.klass : v.value)), getLang());
  state.classes = classed ? new Map(vals.data.map((v) => [v.code, v.klass])) : null;
  const svg = $('map');
  if (state.current !== layer) {
    svg.replaceChildren(layer.g);
    svg.setAttribute('viewBox', '0 0 ' + layer.pr.w.toFixed(0) + ' ' + layer.pr.h.toFixed(0));
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    state.current = layer;
    fillSearch(layer);
  }
  let withValue = 0;
  for (const [code, p] of layer.paths) {
    const v = state.values.get(code);
    if (Number.isFinite(v)) withValue++;
    p.setAttribute('fill', state.scale.color(state.classes ? state.classes.get(code) : v));
    p.setAttribute('aria-label', p.dataset.name + ' (' + code + '): ' + fmtValue(v, ind));
  }
  drawLegend(ind);
  setStatus(withValue ? t('map.count', { n: layer.paths.size, m: withValue, by }) : t('map.empty'));
  $('source').textContent = ind.source ? ind.source : '';
  document.body.dataset.ready = '1'; // for the browser test
}

function fmtValue(v, ind) {
  if (!Number.isFinite(v)) return t('map.nodata');
  return fmt(v) + (ind.unit && ind.unit !== 'aantal' && ind.unit !== 'score' && ind.unit !== 'klasse' ? ' ' + ind.unit : '');
}

function drawLegend(ind) {
  const box = $('legend');
  const title = document.createElement('h2');
  title.textContent = label(ind) + (ind.unit ? ' (' + ind.unit + ')' : '') + ', ' + state.sel.year;
  const list = document.createElement('ul');
  const item = (color, text) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color;
    li.append(sw, document.createTextNode(text));
    return li;
  };
  const entries = state.scale.legend.slice().reverse(); // highest on top
  for (const e of entries) list.appendChild(item(e.color, e.label !== undefined ? e.label : fmt(e.from) + ' – ' + fmt(e.to)));
  list.appendChild(item(NODATA, t('map.nodata')));
  box.setAttribute('aria-label', t('map.legend'));
  box.replaceChildren(title, list);
}

/* ---- interaction ---- */

function showTooltip(path, x, y) {
  const tip = $('tooltip');
  const ind = indicator(state.sel.indicator);
  const v = state.values.get(path.dataset.code);
  const name = document.createElement('strong');
  name.textContent = path.dataset.name;
  const code = document.createElement('span');
  code.className = 'code';
  code.textContent = path.dataset.code;
  const val = document.createElement('span');
  val.className = 'value';
  val.textContent = label(ind) + ': ' + fmtValue(v, ind);
  tip.replaceChildren(name, code, val);
  tip.hidden = false;
  const wrap = $('map').parentElement.getBoundingClientRect();
  const left = Math.min(x - wrap.left + 14, wrap.width - tip.offsetWidth - 4);
  tip.style.left = Math.max(0, left) + 'px';
  tip.style.top = Math.max(0, y - wrap.top + 14) + 'px';
  // the outline is a copy drawn on top (moving the path itself would change the tab order)
  let hl = $('map').querySelector('path.highlight');
  if (!hl) {
    hl = document.createElementNS(SVGNS, 'path');
    hl.setAttribute('class', 'highlight');
    hl.setAttribute('aria-hidden', 'true');
    $('map').appendChild(hl);
  }
  hl.setAttribute('d', path.getAttribute('d'));
  hl.hidden = false;
}

function hideTooltip() {
  $('tooltip').hidden = true;
  const hl = $('map').querySelector('path.highlight');
  if (hl) hl.remove();
}

function openProfile(code) {
  location.href = 'profile.html?' + new URLSearchParams({ code, year: state.boundaryYear });
}

function fillSearch(layer) {
  const list = $('area-list');
  const opts = [];
  for (const f of layer.features) opts.push(option(f.properties.code, (f.properties.name || '') + ' — ' + f.properties.code));
  opts.sort((a, b) => a.textContent.localeCompare(b.textContent));
  list.replaceChildren(...opts);
}

function findArea(text) {
  const q = text.trim().toLowerCase();
  if (!q || !state.current) return null;
  for (const f of state.current.features) if (f.properties.code.toLowerCase() === q) return f.properties.code;
  for (const f of state.current.features) if ((f.properties.name || '').toLowerCase() === q) return f.properties.code;
  for (const f of state.current.features) if ((f.properties.name || '').toLowerCase().startsWith(q)) return f.properties.code;
  return null;
}

function wire() {
  const svg = $('map');
  svg.addEventListener('pointermove', (e) => {
    const p = e.target.closest('path');
    if (p) showTooltip(p, e.clientX, e.clientY);
  });
  svg.addEventListener('pointerleave', hideTooltip);
  svg.addEventListener('click', (e) => {
    const p = e.target.closest('path');
    if (p) openProfile(p.dataset.code);
  });
  svg.addEventListener('focusin', (e) => {
    const p = e.target.closest('path');
    if (!p) return;
    const r = p.getBoundingClientRect();
    showTooltip(p, r.left + r.width / 2, r.top + r.height / 2);
  });
  svg.addEventListener('focusout', hideTooltip);
  svg.addEventListener('keydown', (e) => {
    const p = e.target.closest('path');
    if (p && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      openProfile(p.dataset.code);
    }
  });
  $('indicator').addEventListener('change', (e) => { state.sel.indicator = e.target.value; fillSelects(); draw(); });
  $('level').addEventListener('change', (e) => { state.sel.level = e.target.value; fillSelects(); draw(); });
  $('year').addEventListener('change', (e) => { state.sel.year = Number(e.target.value); draw(); });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = findArea($('search').value);
    if (code) openProfile(code);
  });
  $('search').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const code = findArea($('search').value);
      if (code) openProfile(code);
    }
  });
}

async function main() {
  applyI18n(() => { fillSelects(); if (state.current) draw(); });
  wire();
  try {
    state.indicators = (await api('indicators')).data;
    // composite scores of the server's models: shown as indicators "score:NAME", with the
    // coverage of the model's first indicator
    const models = (await api('models')).data;
    for (const m of models) {
      const first = state.indicators.find((i) => i.key === m.indicators[0]);
      if (!first) continue;
      state.indicators.unshift({ key: 'score:' + m.name, label_nl: 'Score: ' + (m.title || m.name), label_en: 'Score: ' + (m.title || m.name),
        unit: 'score', direction: 1, source: 'wijkbeeld ' + m.name + '.model', coverage: first.coverage, model: m });
    }
  } catch (e) {
    setStatus(t('error', { msg: e.message }));
    return;
  }
  const usable = state.indicators.filter((i) => i.coverage.length);
  if (!usable.length) {
    setStatus(t('map.empty'));
    return;
  }
  const p = new URLSearchParams(location.search);
  const want = p.get('indicator');
  state.sel.indicator = usable.some((i) => i.key === want) ? want : (usable.find((i) => i.key === 'lbm') || usable[0]).key;
  state.sel.level = p.get('level');
  state.sel.year = Number(p.get('year')) || null;
  fillSelects();
  await draw();
}

main();
