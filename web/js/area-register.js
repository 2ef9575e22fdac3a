// On a neighbourhood profile: the initiatives and resident proposals of that area (and of
// the areas around and in it), from /api/areas/CODE/register.
import './i18n-register.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { $, h, pageUrl } from './dom.js';
import { periodText, statusText } from './reg-common.js';
import { proposalCard } from './proposal-card.js';

async function main() {
  const sec = $('register-section');
  if (!sec) return;
  const p = new URLSearchParams(location.search);
  const code = (p.get('code') || '').toUpperCase();
  const year = p.get('year') || '';
  if (!code) return;
  let reg;
  try {
    reg = (await api('areas/' + encodeURIComponent(code) + '/register', year ? { year } : undefined)).data;
  } catch (e) {
    sec.hidden = true; // the register is closed to this visitor, or the code is unknown
    return;
  }
  const status = $('register-status');
  const render = () => {
    const ini = reg.initiatives.length
      ? h('ul', { class: 'plain', id: 'area-initiatives' }, ...reg.initiatives.map((i) => h('li', null,
        h('a', { href: pageUrl('initiative.html', { id: i.id }) }, i.title), ' — ',
        h('a', { href: pageUrl('partner.html', { id: i.lead_partner_id }) }, i.lead_partner), ' · ', statusText(i.status), ' · ',
        periodText(i), ' · ', i.themes.join(', '))))
      : h('p', { class: 'hint', text: t('area.initiatives.none') });
    const props = reg.proposals.length
      ? h('ul', { class: 'cards', id: 'area-proposals' }, ...reg.proposals.map((x) => proposalCard(x, status)))
      : h('p', { class: 'hint', text: t('area.proposals.none') });
    $('register-body').replaceChildren(...[
      h('h3', { text: t('area.initiatives') }), ini,
      h('h3', { text: t('area.proposals') }), props,
      reg.can_file ? h('p', null, h('a', { class: 'button', href: pageUrl('proposals.html', { area: code, year }), text: t('prop.file') })) : null,
    ].filter(Boolean));
  };
  render();
  sec.hidden = false;
  document.getElementById('lang').addEventListener('click', () => setTimeout(render, 0));
}

main();
