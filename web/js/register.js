// The register: initiatives filtered by theme, partner, status and area, on a map (the
// number of initiatives per buurt), and partners x areas x themes per year.
import { api } from './api.js';
import { applyI18n, fmt, t } from './i18n.js';
import { $, h, option, pageUrl, say } from './dom.js';
import { me, roleOf } from './session.js';
import { covers, pathData, project, svgEl } from './geo.js';
import { areaLinks, periodText, statusText } from './reg-common.js';

const STATUSES = ['idee', 'gepland', 'lopend', 'afgerond', 'gestopt'];
const state = { themes: [], partners: [], list: [], all: [], layer: null, seq: 0 };

function filters() {
  const f = {};
  for (const k of ['theme', 'partner', 'status']) if ($('f-' + k).value) f[k] = $('f-' + k).value;
  const area = $('f-area').value.trim().toUpperCase();
  if (area) f.area = area;
  return f;
}

function fillFilters(sel) {
  $('f-theme').replaceChildren(option('', t('reg.filter.all')), ...state.themes.map((x) => option(x, x, sel.theme === x)));
  $('f-partner').replaceChildren(option('', t('reg.filter.all')),
    ...state.partners.map((p) => option(p.id, p.name, String(sel.partner) === String(p.id))));
  $('f-status').replaceChildren(option('', t('reg.filter.all')), ...STATUSES.map((s) => option(s, t('status.' + s), sel.status === s)));
  $('f-area').value = sel.area || '';
}

function renderTable() {
  const head = h('thead', null, h('tr', null, ...['col.title', 'col.lead', 'col.status', 'col.period', 'col.themes', 'col.areas']
    .map((k) => h('th', { scope: 'col', text: t(k) }))));
  const body = h('tbody');
  for (const i of state.list) {
    body.append(h('tr', { dataset: { id: i.id } },
      h('th', { scope: 'row' }, h('a', { href: pageUrl('initiative.html', { id: i.id }), class: 'ini-title' }, i.title)),
      h('td', null, h('a', { href: pageUrl('partner.html', { id: i.lead_partner_id }) }, i.lead_partner)),
      h('td', null, h('span', { class: 'badge status-' + i.status }, statusText(i.status))),
      h('td', null, periodText(i)),
      h('td', null, i.themes.join(', ')),
      h('td', null, areaLinks(i.areas, i.area_year))));
  }
  $('ini-table').replaceChildren(head, body);
  say($('status'), state.list.length ? t('reg.count', { n: state.list.length }) : t('reg.none'));
}

/* ---- the map ---- */

const SHADES = ['#eef3f7', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
function shade(n, max) {
  if (!n) return SHADES[0];
  const k = max <= 5 ? n : Math.ceil((n / max) * 5);
  return SHADES[Math.min(5, Math.max(1, k))];
}

async function loadLayer() {
  // the boundary year most initiatives use
  const years = new Map();
  for (const i of state.all) if (i.area_year) years.set(i.area_year, (years.get(i.area_year) || 0) + 1);
  const year = [...years.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!year) return null;
  try {
    const { data } = await api('geojson', { level: 'buurt', year: year[0] });
    const pr = project(data.features);
    return { year: year[0], features: data.features, pr };
  } catch (e) {
    return null;
  }
}

function renderMap() {
  const svg = $('reg-map');
  const L = state.layer;
  if (!L) { svg.replaceChildren(); return; }
  svg.setAttribute('viewBox', '0 0 ' + L.pr.w.toFixed(0) + ' ' + L.pr.h.toFixed(0));
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  const counts = L.features.map((f) => state.list.filter((i) => i.areas.some((a) => covers(a, f.properties.code))).length);
  const max = Math.max(1, ...counts);
  const g = svgEl('g');
  L.features.forEach((f, k) => {
    const p = svgEl('path');
    p.setAttribute('d', pathData(f.geometry, L.pr));
    p.setAttribute('fill', shade(counts[k], max));
    p.setAttribute('tabindex', '0');
    p.setAttribute('role', 'button');
    p.dataset.code = f.properties.code;
    p.dataset.count = String(counts[k]);
    const name = (f.properties.name || f.properties.code) + ' (' + f.properties.code + '): ' +
      (counts[k] ? t('reg.map.count', { n: counts[k] }) : t('reg.map.none'));
    p.setAttribute('aria-label', name);
    const title = svgEl('title');
    title.textContent = name;
    p.append(title);
    g.append(p);
  });
  svg.replaceChildren(g);
  const legend = [];
  for (let n = 0; n <= Math.min(5, max); n++) {
    const sw = h('span', { class: 'swatch' });
    sw.style.background = max <= 5 ? SHADES[n] : SHADES[n];
    legend.push(h('li', null, sw, n === 0 ? t('reg.map.none') : max <= 5 ? String(n) : '≤ ' + fmt(Math.round((n / 5) * max), 0)));
  }
  $('reg-legend').replaceChildren(...legend);
}

/* ---- partners x areas x themes ---- */

async function renderMatrix() {
  const y = $('matrix-year').value;
  let cells = [];
  try {
    cells = (await api('coalitions/matrix', y ? { year: y } : undefined)).data;
  } catch (e) {
    say($('status'), t('error', { msg: e.message }), 'error');
  }
  const head = h('thead', null, h('tr', null, ...['col.partner', 'col.area', 'col.theme', 'col.initiatives', 'col.money', 'col.hours', 'col.inkind']
    .map((k) => h('th', { scope: 'col', text: t(k) }))));
  const body = h('tbody');
  for (const c of cells)
    body.append(h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: pageUrl('partner.html', { id: c.partner_id }) }, c.partner)),
      h('td', null, h('a', { href: pageUrl('profile.html', { code: c.code, year: c.area_year }) }, c.code)),
      h('td', null, c.theme),
      h('td', { class: 'num' }, String(c.initiatives)),
      h('td', { class: 'num' }, fmt(c.money_eur, 0)),
      h('td', { class: 'num' }, fmt(c.hours, 0)),
      h('td', { class: 'num' }, fmt(c.in_kind_eur, 0))));
  $('matrix-table').replaceChildren(head, body);
}

async function load() {
  const my = ++state.seq;
  const f = filters();
  history.replaceState(null, '', pageUrl('register.html', f));
  try {
    const { data } = await api('initiatives', f);
    if (my !== state.seq) return;
    state.list = data;
  } catch (e) {
    if (my !== state.seq) return;
    state.list = [];
    say($('status'), t('error', { msg: e.message }), 'error');
    if (e.status === 401) location.href = pageUrl('login.html', { next: 'register.html' });
    return;
  }
  renderTable();
  renderMap();
}

function wire() {
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  for (const k of ['theme', 'partner', 'status']) $('f-' + k).addEventListener('change', load);
  $('f-clear').addEventListener('click', () => { fillFilters({}); load(); });
  const svg = $('reg-map');
  const pick = (p) => { $('f-area').value = p.dataset.code; load(); };
  svg.addEventListener('click', (e) => { const p = e.target.closest('path'); if (p) pick(p); });
  svg.addEventListener('keydown', (e) => {
    const p = e.target.closest('path');
    if (p && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(p); }
  });
  $('matrix-year').addEventListener('change', renderMatrix);
}

async function main() {
  applyI18n(() => { fillFilters(filters()); renderTable(); renderMap(); renderMatrix(); });
  wire();
  const p = new URLSearchParams(location.search);
  const sel = { theme: p.get('theme') || '', partner: p.get('partner') || '', status: p.get('status') || '', area: p.get('area') || '' };
  try {
    const [m, themes, partners, all] = await Promise.all([me(), api('themes'), api('partners'), api('initiatives')]);
    state.themes = themes.data;
    state.partners = partners.data;
    state.all = all.data;
    const role = roleOf(m);
    $('new-initiative').hidden = !(role === 'admin' || role === 'partner');
  } catch (e) {
    say($('status'), t('error', { msg: e.message }), 'error');
    if (e.status === 401) location.href = pageUrl('login.html', { next: 'register.html' });
    return;
  }
  fillFilters(sel);
  const now = new Date().getFullYear();
  $('matrix-year').replaceChildren(option('', t('reg.matrix.alltime')), ...Array.from({ length: 12 }, (_, k) => option(now + 3 - k, String(now + 3 - k))));
  state.layer = await loadLayer();
  await Promise.all([load(), renderMatrix()]);
  document.body.dataset.ready = '1';
}

main();
