// One proposal: text, theme, area, status; supporting it, and adopting, declining or
// hiding it for those who may.
import { api } from './api.js';
import { applyI18n, fmt, t } from './i18n.js';
import { $, h, option, pageUrl, say } from './dom.js';
import { me, send } from './session.js';
import { dateText, errorText, pstatusText } from './reg-common.js';

const id = new URLSearchParams(location.search).get('id') || '';
const state = { p: null, me: null, partners: [] };

function render() {
  const p = state.p;
  if (!p) return;
  document.title = 'Wijkbeeld — ' + p.title;
  $('prop-title').textContent = p.title;
  $('prop-meta').replaceChildren(h('span', { class: 'badge pstatus-' + p.status, id: 'prop-status' }, pstatusText(p.status)), ' · ', p.theme, ' · ',
    h('a', { href: pageUrl('profile.html', { code: p.area, year: p.area_year }) }, p.area), ' · ', dateText((p.created || '').slice(0, 10)),
    p.est_cost_eur !== null ? ' · ' + t('prop.cost', { c: fmt(p.est_cost_eur, 0) }) : '',
    p.author ? ' · ' + t('prop.author', { a: p.author }) : '');
  $('prop-text').textContent = p.text;
  const out = $('prop-outcome');
  if (p.status === 'declined') out.replaceChildren(t('prop.reason', { r: p.decline_reason || '' }));
  else if (p.status === 'adopted' && p.initiative_id) out.replaceChildren(h('a', { href: pageUrl('initiative.html', { id: p.initiative_id }), id: 'prop-initiative' }, t('prop.adopted')));
  else out.replaceChildren();
  $('support').hidden = !p.can_support;
  $('support-state').replaceChildren(h('span', { id: 'support-count' }, t('prop.supports', { n: p.supports })),
    p.supported ? h('span', { class: 'badge supported', id: 'supported' }, t('prop.supported')) : p.own ? h('span', { class: 'badge' }, t('prop.own')) : '');
  $('adopt-form').hidden = !p.can_adopt;
  const role = state.me && state.me.user ? state.me.user.role : '';
  const leads = role === 'admin' ? state.partners : state.partners.filter((x) => state.me.user && x.id === state.me.user.partner_id);
  $('adopt-form').elements.lead_partner_id.replaceChildren(...leads.map((x) => option(x.id, x.name)));
  $('decline-form').hidden = !p.can_decline;
  $('hide').hidden = !p.can_hide;
  $('proposal').hidden = false;
}

async function act(fn) {
  const st = $('action-status');
  say(st, '');
  try {
    await fn();
    state.p = (await api('proposals/' + encodeURIComponent(id))).data;
    render();
    say(st, t('saved'), 'ok');
  } catch (e) {
    say(st, errorText(e), 'error');
  }
}

function wire() {
  $('support').addEventListener('click', () => act(() => send('POST', 'proposals/' + encodeURIComponent(id) + '/support')));
  $('adopt-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act(async () => {
      const ini = await send('POST', 'proposals/' + encodeURIComponent(id) + '/adopt', { lead_partner_id: Number($('adopt-form').elements.lead_partner_id.value) });
      location.href = pageUrl('initiative.html', { id: ini.id });
    });
  });
  $('decline-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act(() => send('POST', 'proposals/' + encodeURIComponent(id) + '/decline', { reason: $('decline-form').elements.reason.value }));
  });
  $('hide').addEventListener('click', () => {
    if (confirm(t('prop.hide.confirm'))) act(() => send('POST', 'proposals/' + encodeURIComponent(id) + '/hide'));
  });
}

async function main() {
  applyI18n(render);
  wire();
  say($('status'), t('prop.loading'));
  try {
    const [m, p, partners] = await Promise.all([me(), api('proposals/' + encodeURIComponent(id)), api('partners')]);
    state.me = m;
    state.p = p.data;
    state.partners = partners.data;
    say($('status'), '');
  } catch (e) {
    say($('status'), e.status === 404 || e.status === 400 ? t('prop.notfound') : errorText(e), 'error');
    return;
  }
  render();
  document.body.dataset.ready = '1';
}

main();
