// The map page: a choropleth of any indicator or score for a chosen level and year, drawn as
// SVG from /api/geojson, in one of the views of map_modes.js: values in classes, LISA
// clusters, Gi* hot and cold spots, emerging hot spots, bivariate clusters; a legend, a tooltip, and a click opens the profile.
// "Gebied" narrows the map to one gemeente; the start page shows the buurten of the
// municipality that has them (the demo's Wierhaven) and offers the national wijk map.
import { api } from './api.js';
import { applyI18n, fmt, label, t } from './i18n.js';
import { NODATA } from './colors.js';
import { drawLegend, loadMode, METHODS, MODES } from './map_modes.js';

const SVGNS = 'http://www.w3.org/2000/svg';
const LEVEL_ORDER = ['gemeente', 'wijk', 'buurt', 'land'];
const NATIONAL_MIN = 1000; // a level with at least this many areas with values is "national"
const $ = (id) => document.getElementById(id);

const state = {
  indicators: [],
  sel: { indicator: null, level: null, year: null, by: null, mode: 'values', method: 'auto', scope: '', fdr: false, bv: '' },
  raw: new Map(),    // "level|by" -> GeoJSON features (promise)
  views: new Map(),  // "level|by|scope" -> {g, paths, pr, features}
  gemNames: null,    // gemeente code -> name
  colouring: null,   // the loaded view of map_modes
  current: null,     // the drawn view
  searchFor: null,   // the view whose areas the search list holds
  boundaryYear: null,
  drawSeq: 0,
  timing: null,
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

/* The boundary years of (indicator, level, data year), most values first. */
function boundariesOf(ind, level, year) {
  return ind.coverage.filter((c) => c.level === level && c.year === year)
    .sort((a, b) => b.n - a.n || b.boundary_year - a.boundary_year);
}

function boundaryYear() {
  const ind = indicator(state.sel.indicator);
  const bs = boundariesOf(ind, state.sel.level, state.sel.year);
  if (state.sel.by && bs.some((b) => b.boundary_year === state.sel.by)) return state.sel.by;
  return bs.length ? bs[0].boundary_year : state.sel.year;
}

/* The national wijk map of the indicator: the latest year with a wijk coverage of at least
 * NATIONAL_MIN areas on one boundary year, or null. */
function nationalChoice(ind) {
  const c = ind.coverage.filter((x) => x.level === 'wijk' && x.n >= NATIONAL_MIN).sort((a, b) => b.year - a.year)[0];
  return c ? { level: 'wijk', year: c.year, by: c.boundary_year } : null;
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
  if (!levels.includes(state.sel.level)) state.sel.level = levels.includes('buurt') ? 'buurt' : levels.includes('wijk') ? 'wijk' : levels[0];
  $('level').replaceChildren(...levels.map((l) => option(l, t('level.' + l))));
  $('level').value = state.sel.level;
  const years = yearsOf(ind, state.sel.level);
  if (!years.includes(state.sel.year)) state.sel.year = years[0];
  $('year').replaceChildren(...years.map((y) => option(y, String(y))));
  $('year').value = String(state.sel.year);
  const bs = boundariesOf(ind, state.sel.level, state.sel.year);
  $('by').replaceChildren(...bs.map((b) => option(b.boundary_year, t('by.option', { year: b.boundary_year, n: fmt(b.n, 0) }))));
  $('by').value = String(boundaryYear());
  $('by-wrap').hidden = bs.length < 2;
  $('mode').replaceChildren(...MODES.map((m) => option(m, t('mode.' + m))));
  $('mode').value = state.sel.mode;
  $('method').replaceChildren(...METHODS.map((m) => option(m, t('method.' + m))));
  $('method').value = state.sel.method;
  $('method-wrap').hidden = state.sel.mode !== 'values';
  $('fdr-wrap').hidden = state.sel.mode === 'values';
  // the bivariate view: a second indicator with values on the same level, year and boundaries
  const others = usable.filter((i) => i.key !== ind.key && !i.model &&
    i.coverage.some((c) => c.level === state.sel.level && c.year === state.sel.year && c.boundary_year === boundaryYear()));
  if (!others.some((i) => i.key === state.sel.bv)) state.sel.bv = others.length ? others[0].key : '';
  $('bv').replaceChildren(...others.map((i) => option(i.key, label(i))));
  $('bv').value = state.sel.bv;
  $('bv-wrap').hidden = state.sel.mode !== 'bivariate';
  $('fdr').checked = state.sel.fdr;
  const nat = nationalChoice(ind);
  const onNational = nat && state.sel.level === nat.level && state.sel.year === nat.year && boundaryYear() === nat.by && !state.sel.scope;
  $('national').hidden = !nat || onNational;
  if (nat) $('national').textContent = t('national.button', { year: nat.year });
}

function saveUrl() {
  const s = state.sel;
  const p = new URLSearchParams({ indicator: s.indicator, level: s.level, year: s.year });
  if (s.by) p.set('by', s.by);
  if (s.mode !== 'values') p.set('mode', s.mode);
  if (s.method !== 'auto') p.set('method', s.method);
  if (s.scope) p.set('in', s.scope);
  if (s.fdr) p.set('fdr', '1');
  if (s.mode === 'bivariate' && s.bv) p.set('bv', s.bv);
  history.replaceState(null, '', '?' + p);
}

/* ---- geometry ---- */

/* The gemeente a CBS area code lies in (GM + the four digits of the code). */
function gemeenteOf(code) {
  return /^(GM|WK|BU)\d{4}/.test(code) ? 'GM' + code.slice(2, 6) : '';
}

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
  if (!Number.isFinite(minX)) { minX = minY = 0; maxX = maxY = 1; }
  // equirectangular with the cosine of the middle latitude: fine at the scale of the country;
  // about 2,000 units across the map, so whole units (1 decimal) are below a pixel
  const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
  const S = 20000 / Math.max((maxX - minX) * k, maxY - minY, 1e-9);
  return { S, k, minX, maxY, w: (maxX - minX) * k * S, h: (maxY - minY) * S };
}

/* SVG path data in whole units of a 20,000-unit-wide view; consecutive points that round to
 * the same unit are dropped (they add nothing at any zoom the page offers). */
function pathData(geom, pr) {
  const parts = [];
  const kx = pr.k * pr.S, S = pr.S;
  for (const poly of polygons(geom))
    for (const ring of poly) {
      let d = '', px = NaN, py = NaN, n = 0;
      for (let i = 0; i < ring.length - 1; i++) {
        const x = Math.round((ring[i][0] - pr.minX) * kx);
        const y = Math.round((pr.maxY - ring[i][1]) * S);
        if (x === px && y === py) continue;
        d += (n ? 'L' : 'M') + x + ' ' + y;
        px = x; py = y; n++;
      }
      if (n >= 3) parts.push(d + 'Z');
    }
  return parts.join('');
}

function loadRaw(level, by) {
  const key = level + '|' + by;
  if (!state.raw.has(key)) {
    const p = api('geojson', { level, year: by }).then(({ data }) => data.features);
    p.catch(() => state.raw.delete(key));
    state.raw.set(key, p);
  }
  return state.raw.get(key);
}

async function loadView(level, by, scope) {
  const key = level + '|' + by + '|' + scope;
  if (state.views.has(key)) return state.views.get(key);
  const all = await loadRaw(level, by);
  const t0 = performance.now();
  const features = scope ? all.filter((f) => gemeenteOf(f.properties.code) === scope || f.properties.code === scope) : all;
  const pr = project(features);
  const g = document.createElementNS(SVGNS, 'g');
  g.setAttribute('class', 'areas');
  const paths = new Map();
  const frag = document.createDocumentFragment();
  for (const f of features) {
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
  const gems = [...new Set(all.map((f) => gemeenteOf(f.properties.code)).filter(Boolean))];
  const view = { key, level, by, scope, g, paths, pr, features, gems, buildMs: performance.now() - t0 };
  state.views.set(key, view);
  return view;
}

async function gemeenteNames() {
  if (!state.gemNames) {
    const m = new Map();
    try {
      const { data } = await api('areas', { level: 'gemeente' });
      for (const a of data) m.set(a.code, a.name || a.code); // ordered by year: the latest name wins
    } catch (e) { /* names are a nicety */ }
    state.gemNames = m;
  }
  return state.gemNames;
}

async function fillScope(view) {
  const names = await gemeenteNames();
  const opts = [option('', t('scope.all'))];
  const gems = view.gems.map((c) => [c, names.get(c) || c]).sort((a, b) => a[1].localeCompare(b[1], 'nl'));
  for (const [c, n] of gems) opts.push(option(c, n === c ? c : n + ' (' + c + ')'));
  $('scope').replaceChildren(...opts);
  $('scope').value = state.sel.scope;
  $('scope-wrap').hidden = gems.length < 2 && !state.sel.scope;
}

/* "Buurten van Wierhaven", "Wijken van Nederland": what the map shows. */
async function heading(view) {
  const names = await gemeenteNames();
  const gm = view.scope || (view.gems.length === 1 ? view.gems[0] : '');
  const where = gm ? names.get(gm) || gm : view.gems.length >= 100 ? t('map.where.nl') : t('map.where.n', { n: view.gems.length });
  $('controls-title').textContent = t('map.heading', { level: t('level.' + view.level), where });
}

/* ---- drawing ---- */

async function draw() {
  const seq = ++state.drawSeq;
  const ind = indicator(state.sel.indicator);
  const by = boundaryYear();
  const t0 = performance.now();
  setStatus(t('map.loading'));
  document.body.dataset.ready = '0';
  saveUrl();
  let view, col;
  try {
    [view, col] = await Promise.all([loadView(state.sel.level, by, state.sel.scope), loadMode(state.sel.mode, ind, state.sel, by, indicator(state.sel.bv))]);
  } catch (e) {
    if (seq !== state.drawSeq) return;
    setStatus(e.status === 404 && /geometr|grenzen|boundar/i.test(e.message) ? t('map.nogeo', { year: by }) : t('error', { msg: e.message }));
    $('map').replaceChildren();
    $('legend').replaceChildren();
    state.current = null;
    document.body.dataset.ready = '1';
    return;
  }
  if (seq !== state.drawSeq) return; // a newer choice was made meanwhile
  const tData = performance.now();
  state.colouring = col;
  state.boundaryYear = by;
  const svg = $('map');
  if (state.current !== view) {
    svg.replaceChildren(view.g);
    svg.setAttribute('viewBox', '0 0 ' + view.pr.w.toFixed(0) + ' ' + view.pr.h.toFixed(0));
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    state.current = view;
    svg.classList.toggle('dense', view.paths.size > 2000); // thinner borders for the whole country
    fillScope(view);
    $('area-list').replaceChildren(); // filled when the search field is first used
    state.searchFor = null;
  }
  let withValue = 0;
  const shown = new Map(); // colour -> areas on screen (the legend counts what the map shows)
  for (const [code, p] of view.paths) {
    const c = col.byCode.get(code);
    if (c && Number.isFinite(c.value)) withValue++;
    const fill = c ? c.color : NODATA;
    shown.set(fill, (shown.get(fill) || 0) + 1);
    p.setAttribute('fill', fill);
    p.setAttribute('aria-label', p.dataset.name + ' (' + code + '): ' + fmtValue(c && c.value, ind) + (c && c.detail ? ', ' + c.detail : ''));
  }
  const names = await gemeenteNames();
  if (seq !== state.drawSeq) return;
  drawLegend($('legend'), col, ind, state.sel, {
    shown,
    scope: view.scope ? names.get(view.scope) || view.scope : null,
    level: t('level.' + view.level).toLowerCase(),
  });
  heading(view);
  setStatus(withValue ? t('map.count', { n: view.paths.size, m: withValue, by }) : t('map.empty'));
  $('source').textContent = ind.source ? ind.source : '';
  fillSelects();
  // after the next paint: what the browser test and bench/web_map.mjs report
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (seq !== state.drawSeq) return;
    state.timing = { sinceNavigation: performance.now(), total: performance.now() - t0, data: tData - t0, build: view.buildMs, areas: view.paths.size };
    document.body.dataset.drawMs = String(Math.round(state.timing.total));
    document.body.dataset.timing = JSON.stringify(state.timing);
    document.body.dataset.ready = '1'; // for the browser test
  }));
}

function fmtValue(v, ind) {
  if (!Number.isFinite(v)) return t('map.nodata');
  return fmt(v) + (ind.unit && ind.unit !== 'aantal' && ind.unit !== 'score' && !/^klasse/.test(ind.unit) ? ' ' + ind.unit : '');
}

/* ---- interaction ---- */

function showTooltip(path, x, y) {
  const tip = $('tooltip');
  const ind = indicator(state.sel.indicator);
  const c = state.colouring && state.colouring.byCode.get(path.dataset.code);
  const name = document.createElement('strong');
  name.textContent = path.dataset.name;
  const code = document.createElement('span');
  code.className = 'code';
  code.textContent = path.dataset.code;
  const val = document.createElement('span');
  val.className = 'value';
  val.textContent = label(ind) + ': ' + fmtValue(c && c.value, ind);
  const parts = [name, code, val];
  if (c && c.detail) {
    const det = document.createElement('span');
    det.className = 'detail';
    det.textContent = c.detail;
    parts.push(det);
  }
  tip.replaceChildren(...parts);
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

/* The datalist of "Ga naar gebied", built when the field gets focus: 12,000 buurten sorted by
 * name cost more than drawing them, and most visits never search. */
function fillSearch(view) {
  if (!view || state.searchFor === view) return;
  state.searchFor = view;
  const list = $('area-list');
  const opts = [];
  for (const f of view.features) opts.push(option(f.properties.code, (f.properties.name || '') + ' — ' + f.properties.code));
  const coll = new Intl.Collator('nl');
  opts.sort((a, b) => coll.compare(a.textContent, b.textContent));
  list.replaceChildren(...opts);
}

function findArea(text) {
  const q = text.trim().toLowerCase();
  if (!q || !state.current) return null;
  const fs = state.current.features;
  for (const f of fs) if (f.properties.code.toLowerCase() === q) return f.properties.code;
  for (const f of fs) if ((f.properties.name || '').toLowerCase() === q) return f.properties.code;
  for (const f of fs) if ((f.properties.name || '').toLowerCase().startsWith(q)) return f.properties.code;
  const m = q.match(/—\s*(\S+)$/); // a datalist choice "name — code"
  return m ? findArea(m[1]) : null;
}

function wire() {
  const svg = $('map');
  svg.addEventListener('pointermove', (e) => {
    const p = e.target.closest('path[data-code]');
    if (p) showTooltip(p, e.clientX, e.clientY);
  });
  svg.addEventListener('pointerleave', hideTooltip);
  svg.addEventListener('click', (e) => {
    const p = e.target.closest('path[data-code]');
    if (p) openProfile(p.dataset.code);
  });
  svg.addEventListener('focusin', (e) => {
    const p = e.target.closest('path[data-code]');
    if (!p) return;
    const r = p.getBoundingClientRect();
    showTooltip(p, r.left + r.width / 2, r.top + r.height / 2);
  });
  svg.addEventListener('focusout', hideTooltip);
  svg.addEventListener('keydown', (e) => {
    const p = e.target.closest('path[data-code]');
    if (p && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      openProfile(p.dataset.code);
    }
  });
  const redraw = () => { fillSelects(); draw(); };
  $('indicator').addEventListener('change', (e) => { state.sel.indicator = e.target.value; state.sel.by = null; redraw(); });
  $('level').addEventListener('change', (e) => { state.sel.level = e.target.value; state.sel.by = null; state.sel.scope = ''; redraw(); });
  $('year').addEventListener('change', (e) => { state.sel.year = Number(e.target.value); state.sel.by = null; redraw(); });
  $('by').addEventListener('change', (e) => { state.sel.by = Number(e.target.value); state.sel.scope = ''; redraw(); });
  $('mode').addEventListener('change', (e) => { state.sel.mode = e.target.value; redraw(); });
  $('bv').addEventListener('change', (e) => { state.sel.bv = e.target.value; redraw(); });
  $('method').addEventListener('change', (e) => { state.sel.method = e.target.value; redraw(); });
  $('scope').addEventListener('change', (e) => { state.sel.scope = e.target.value; redraw(); });
  $('fdr').addEventListener('change', (e) => { state.sel.fdr = e.target.checked; redraw(); });
  $('national').addEventListener('click', () => {
    const nat = nationalChoice(indicator(state.sel.indicator));
    if (!nat) return;
    Object.assign(state.sel, { level: nat.level, year: nat.year, by: nat.by, scope: '' });
    redraw();
  });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = findArea($('search').value);
    if (code) openProfile(code);
  });
  $('search').addEventListener('focus', () => fillSearch(state.current));
  $('search').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const code = findArea($('search').value);
      if (code) openProfile(code);
    }
  });
}

async function main() {
  applyI18n(() => { if (state.indicators.length) { fillSelects(); if (state.current) draw(); } });
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
    document.body.dataset.ready = '1';
    return;
  }
  const p = new URLSearchParams(location.search);
  const want = p.get('indicator');
  const s = state.sel;
  s.indicator = usable.some((i) => i.key === want) ? want : (usable.find((i) => i.key === 'lbm') || usable[0]).key;
  s.level = p.get('level');
  s.year = Number(p.get('year')) || null;
  s.by = Number(p.get('by')) || null;
  s.mode = MODES.includes(p.get('mode')) ? p.get('mode') : 'values';
  s.bv = p.get('bv') || '';
  s.method = METHODS.includes(p.get('method')) ? p.get('method') : 'auto';
  s.scope = /^GM\d{4}$/.test(p.get('in') || '') ? p.get('in') : '';
  s.fdr = p.get('fdr') === '1';
  fillSelects();
  await draw();
}

main();
