// A partner organisation: its initiatives (as lead or contributor) and its contributions.
import { api } from './api.js';
import { applyI18n, t } from './i18n.js';
import { $, h, pageUrl, say } from './dom.js';
import { amountText, errorText, periodText, statusText } from './reg-common.js';

const id = new URLSearchParams(location.search).get('id') || '';
let partner = null;

function render() {
  const p = partner;
  if (!p) return;
  document.title = 'Wijkbeeld — ' + p.name;
  $('partner-name').textContent = p.name;
  $('partner-facts').replaceChildren(h('dt', { text: t('partner.type') }), h('dd', null, p.type),
    h('dt', { text: t('partner.contact') }), h('dd', null, p.contact || '—'));
  const head = h('thead', null, h('tr', null, ...['col.title', 'col.lead', 'col.status', 'col.period', 'col.themes']
    .map((k) => h('th', { scope: 'col', text: t(k) }))));
  const body = h('tbody');
  for (const i of p.initiatives)
    body.append(h('tr', null, h('th', { scope: 'row' }, h('a', { href: pageUrl('initiative.html', { id: i.id }) }, i.title)),
      h('td', null, i.lead_partner_id === p.id ? t('partner.leads') : h('a', { href: pageUrl('partner.html', { id: i.lead_partner_id }) }, i.lead_partner)),
      h('td', null, statusText(i.status)), h('td', null, periodText(i)), h('td', null, i.themes.join(', '))));
  $('partner-initiatives').replaceChildren(head, body);
  const ch = h('thead', null, h('tr', null, ...['col.initiative', 'col.kind', 'col.amount', 'col.period']
    .map((k) => h('th', { scope: 'col', text: t(k) }))));
  const cb = h('tbody');
  const titles = new Map(p.initiatives.map((i) => [i.id, i.title]));
  for (const c of p.contributions)
    cb.append(h('tr', null, h('th', { scope: 'row' }, h('a', { href: pageUrl('initiative.html', { id: c.initiative_id }) },
      titles.get(c.initiative_id) || '#' + c.initiative_id)),
    h('td', null, t('kind.' + c.kind)), h('td', { class: 'num' }, amountText(c)), h('td', null, periodText(c))));
  $('partner-contributions').replaceChildren(ch, cb);
  $('partner').hidden = false;
}

async function main() {
  applyI18n(render);
  say($('status'), t('partner.loading'));
  try {
    partner = (await api('partners/' + encodeURIComponent(id))).data;
    say($('status'), '');
  } catch (e) {
    say($('status'), e.status === 404 || e.status === 400 ? t('partner.notfound') : errorText(e), 'error');
    return;
  }
  render();
  document.body.dataset.ready = '1';
}

main();
