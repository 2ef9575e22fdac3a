// Resident proposals: the list with support buttons, and the form to file one.
import { api } from './api.js';
import { applyI18n, t } from './i18n.js';
import { $, option, pageUrl, say } from './dom.js';
import { me, send } from './session.js';
import { clearErrors, formError } from './reg-common.js';
import { proposalCard } from './proposal-card.js';

const STATUSES = ['open', 'adopted', 'declined'];
const state = { themes: [], list: [], me: null };

function filters() {
  const f = {};
  if ($('f-status').value) f.status = $('f-status').value;
  if ($('f-theme').value) f.theme = $('f-theme').value;
  const a = $('f-area').value.trim().toUpperCase();
  if (a) f.area = a;
  return f;
}

function fillFilters(sel) {
  $('f-status').replaceChildren(option('', t('reg.filter.all')), ...STATUSES.map((s) => option(s, t('pstatus.' + s), sel.status === s)));
  $('f-theme').replaceChildren(option('', t('reg.filter.all')), ...state.themes.map((x) => option(x, x, sel.theme === x)));
  $('f-area').value = sel.area || '';
  const th = $('file-form').elements.theme;
  const cur = th.value;
  th.replaceChildren(...state.themes.map((x) => option(x, x, x === cur)));
}

function render() {
  $('proposal-list').replaceChildren(...state.list.map((p) => proposalCard(p, $('status'))));
  say($('status'), state.list.length ? '' : t('prop.none'));
}

async function load() {
  const f = filters();
  history.replaceState(null, '', pageUrl('proposals.html', { ...f, year: new URLSearchParams(location.search).get('year') }));
  try {
    state.list = (await api('proposals', f)).data;
  } catch (e) {
    say($('status'), t('error', { msg: e.message }), 'error');
    return;
  }
  render();
}

async function file(e) {
  e.preventDefault();
  const form = $('file-form');
  const st = $('file-status');
  clearErrors(form, st);
  const f = form.elements;
  const body = { area: f.area.value.trim().toUpperCase(), area_year: Number(f.area_year.value), title: f.title.value.trim(),
    text: f.text.value, theme: f.theme.value };
  if (f.est_cost_eur.value !== '') body.est_cost_eur = Number(f.est_cost_eur.value);
  try {
    const p = await send('POST', 'proposals', body);
    form.reset();
    say(st, t('prop.filed'), 'ok');
    location.href = pageUrl('proposal.html', { id: p.id });
  } catch (err) {
    formError(form, st, err);
  }
}

async function main() {
  applyI18n(() => { fillFilters(filters()); render(); });
  const p = new URLSearchParams(location.search);
  const sel = { status: p.get('status') || '', theme: p.get('theme') || '', area: p.get('area') || '' };
  try {
    const [m, themes] = await Promise.all([me(), api('themes')]);
    state.me = m;
    state.themes = themes.data;
  } catch (e) {
    say($('status'), t('error', { msg: e.message }), 'error');
    if (e.status === 401) location.href = pageUrl('login.html', { next: 'proposals.html' });
    return;
  }
  fillFilters(sel);
  const role = state.me.user ? state.me.user.role : 'anonymous';
  const canFile = role === 'resident' || role === 'admin';
  $('file-form').hidden = !canFile;
  $('file-login').hidden = canFile;
  const f = $('file-form').elements;
  f.area.value = sel.area;
  f.area_year.value = p.get('year') || '';
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  for (const k of ['status', 'theme']) $('f-' + k).addEventListener('change', load);
  $('file-form').addEventListener('submit', file);
  await load();
  document.body.dataset.ready = '1';
}

main();
