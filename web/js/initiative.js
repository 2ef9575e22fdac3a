// One initiative: themes, areas, period, status, lead, targets, the proposal it came
// from, milestones with progress, contributions, and the coalition year by year; with
// forms for those who may change it (the library decides; the buttons only follow).
import { api } from './api.js';
import { applyI18n, fmt, label as indLabel, t } from './i18n.js';
import { $, h, option, pageUrl, say } from './dom.js';
import { me, send } from './session.js';
import { amountText, areaLinks, clearErrors, dateText, errorText, formError, periodText, statusText } from './reg-common.js';

const KINDS = ['money_eur', 'hours', 'in_kind'];
const state = { ini: null, coalition: [], me: null, partners: [], indicators: [] };
const id = new URLSearchParams(location.search).get('id') || '';

function fact(term, ...value) {
  return [h('dt', { text: term }), h('dd', null, ...value)];
}

function targetText(x) {
  const ind = state.indicators.find((i) => i.key === x.indicator);
  return (ind ? indLabel(ind) : x.indicator) + ' ' + (x.direction === 'up' ? '↑ ' + t('ini.up') : '↓ ' + t('ini.down'));
}

function render() {
  const i = state.ini;
  if (!i) return;
  document.title = 'Wijkbeeld — ' + i.title;
  $('ini-title').textContent = i.title;
  $('ini-meta').replaceChildren(
    h('span', { class: 'badge status-' + i.status }, statusText(i.status)), ' · ', periodText(i), ' · ', t('ini.lead') + ': ',
    h('a', { href: pageUrl('partner.html', { id: i.lead_partner_id }), id: 'ini-lead' }, i.lead_partner));
  $('ini-description').textContent = i.description || '';
  $('ini-edit').hidden = !i.can_edit;
  $('ini-edit').href = pageUrl('edit.html', { id: i.id });
  $('ini-delete').hidden = !i.can_delete;
  const facts = [
    ...fact(t('ini.themes'), i.themes.length ? i.themes.join(', ') : '—'),
    ...fact(t('ini.areas'), i.areas.length ? areaLinks(i.areas, i.area_year) : '—', i.area_year ? ' (' + i.area_year + ')' : ''),
    ...fact(t('ini.targets'), i.targets.length ? i.targets.map(targetText).join('; ') : t('ini.targets.none')),
  ];
  if (i.proposal_id)
    facts.push(...fact(t('ini.origin'), h('a', { href: pageUrl('proposal.html', { id: i.proposal_id }), id: 'ini-origin' }, '#' + i.proposal_id)));
  $('ini-facts').replaceChildren(...facts);

  const ms = $('milestones');
  if (!i.milestones.length) ms.replaceChildren(h('li', { class: 'hint', text: t('ini.milestones.none') }));
  else ms.replaceChildren(...i.milestones.map((m) => h('li', { class: 'milestone' },
    h('span', { class: 'ms-title' }, m.title),
    m.due ? h('span', { class: 'ms-due' }, ' — ' + t('ini.due', { d: dateText(m.due) })) : null,
    h('span', { class: 'ms-bar' },
      h('progress', { max: '100', value: m.progress, 'aria-label': t('ini.progress') + ' ' + m.title }), ' ' + m.progress + '%'),
    m.note ? h('span', { class: 'ms-note' }, m.note) : null)));
  $('ms-form').hidden = !i.can_edit;

  const head = h('thead', null, h('tr', null, ...['col.partner', 'col.kind', 'col.amount', 'col.period', 'co.note', 'col.actions']
    .map((k) => h('th', { scope: 'col', text: k === 'col.actions' ? '' : t(k) }))));
  const body = h('tbody');
  for (const c of i.contributions) {
    const del = c.can_edit ? h('button', { type: 'button', class: 'button small', dataset: { id: c.id }, text: t('co.delete') }) : null;
    if (del) del.addEventListener('click', () => removeContribution(c.id));
    body.append(h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: pageUrl('partner.html', { id: c.partner_id }) }, c.partner)),
      h('td', null, t('kind.' + c.kind)), h('td', { class: 'num' }, amountText(c)), h('td', null, periodText(c)),
      h('td', null, c.note || ''), h('td', null, del)));
  }
  if (!i.contributions.length) body.append(h('tr', null, h('td', { colspan: '6', class: 'hint', text: t('ini.contributions.none') })));
  $('contributions').replaceChildren(head, body);

  const ch = h('thead', null, h('tr', null, ...['col.year', 'col.coalition', 'col.joined', 'col.left', 'col.money', 'col.hours', 'col.inkind']
    .map((k) => h('th', { scope: 'col', text: t(k) }))));
  const cb = h('tbody');
  for (const y of state.coalition)
    cb.append(h('tr', null, h('th', { scope: 'row', text: String(y.year) }), h('td', null, y.partners || '—'),
      h('td', null, y.joined), h('td', null, y.left), h('td', { class: 'num' }, fmt(y.money_eur, 0)),
      h('td', { class: 'num' }, fmt(y.hours, 0)), h('td', { class: 'num' }, fmt(y.in_kind_eur, 0))));
  if (!state.coalition.length) cb.append(h('tr', null, h('td', { colspan: '7', class: 'hint', text: t('ini.coalition.none') })));
  $('coalition').replaceChildren(ch, cb);

  // contributions: partner editors add their own partner's, the admin any partner's
  const role = state.me && state.me.user ? state.me.user.role : 'anonymous';
  const form = $('co-form');
  form.hidden = !(role === 'admin' || role === 'partner');
  const ps = role === 'partner' ? state.partners.filter((p) => p.id === state.me.user.partner_id) : state.partners;
  const cur = form.elements.partner_id.value;
  form.elements.partner_id.replaceChildren(...ps.map((p) => option(p.id, p.name, String(p.id) === cur)));
  const kind = form.elements.kind.value;
  form.elements.kind.replaceChildren(...KINDS.map((k) => option(k, t('kind.' + k), k === kind)));
  $('initiative').hidden = false;
}

async function load() {
  try {
    const [ini, coal] = await Promise.all([api('initiatives/' + encodeURIComponent(id)), api('initiatives/' + encodeURIComponent(id) + '/coalitions')]);
    state.ini = ini.data;
    state.coalition = coal.data;
    say($('status'), '');
  } catch (e) {
    say($('status'), e.status === 404 || e.status === 400 ? t('ini.notfound') : errorText(e), 'error');
    return;
  }
  render();
}

async function removeContribution(cid) {
  try {
    await send('DELETE', 'contributions/' + cid);
    await load();
    say($('status'), t('saved'), 'ok');
  } catch (e) {
    say($('status'), errorText(e), 'error');
  }
}

function wire() {
  $('ini-delete').addEventListener('click', async () => {
    if (!confirm(t('ini.delete.confirm'))) return;
    try {
      await send('DELETE', 'initiatives/' + encodeURIComponent(id));
      location.href = 'register.html';
    } catch (e) {
      say($('status'), errorText(e), 'error');
    }
  });
  const ms = $('ms-form');
  ms.addEventListener('submit', async (e) => {
    e.preventDefault();
    const st = ms.querySelector('.form-status');
    clearErrors(ms, st);
    const f = ms.elements;
    const body = { title: f.title.value, progress: Number(f.progress.value || 0) };
    if (f.due.value) body.due = f.due.value;
    if (f.note.value) body.note = f.note.value;
    try {
      await send('POST', 'initiatives/' + encodeURIComponent(id) + '/milestones', body);
      ms.reset();
      await load();
      say(st, t('saved'), 'ok');
    } catch (err) {
      formError(ms, st, err);
    }
  });
  const co = $('co-form');
  co.addEventListener('submit', async (e) => {
    e.preventDefault();
    const st = co.querySelector('.form-status');
    clearErrors(co, st);
    const f = co.elements;
    const body = { partner_id: Number(f.partner_id.value), kind: f.kind.value, amount: Number(f.amount.value), start: f.start.value, end: f.end.value };
    if (f.note.value) body.note = f.note.value;
    try {
      await send('POST', 'initiatives/' + encodeURIComponent(id) + '/contributions', body);
      co.reset();
      await load();
      say(st, t('saved'), 'ok');
    } catch (err) {
      formError(co, st, err);
    }
  });
}

async function main() {
  applyI18n(render);
  wire();
  say($('status'), t('ini.loading'));
  try {
    const [m, partners, inds] = await Promise.all([me(), api('partners'), api('indicators').catch(() => ({ data: [] }))]);
    state.me = m;
    state.partners = partners.data;
    state.indicators = inds.data;
  } catch (e) {
    say($('status'), errorText(e), 'error');
    return;
  }
  await load();
  document.body.dataset.ready = '1';
}

main();
