// A proposal as a card with its support button, for the proposals page and profiles.
import { fmt, t } from './i18n.js';
import { h, pageUrl } from './dom.js';
import { send } from './session.js';
import { dateText, errorText, pstatusText } from './reg-common.js';

/** The support part: a button while the reader may support, else the state in words. */
export function supportBox(p, onChange, status) {
  const box = h('span', { class: 'support' });
  const count = h('span', { class: 'support-count' }, t('prop.supports', { n: p.supports }));
  box.append(count, ' ');
  if (p.can_support) {
    const b = h('button', { type: 'button', class: 'button small support-button', dataset: { id: p.id }, text: t('prop.support') });
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const np = await send('POST', 'proposals/' + p.id + '/support');
        onChange(np);
      } catch (e) {
        b.disabled = false;
        if (status) status.textContent = errorText(e);
      }
    });
    box.append(b);
  } else if (p.supported) {
    box.append(h('span', { class: 'badge supported', text: t('prop.supported') }));
  } else if (p.own) {
    box.append(h('span', { class: 'badge', text: t('prop.own') }));
  }
  return box;
}

export function proposalCard(p, status) {
  const li = h('li', { class: 'card proposal', dataset: { id: p.id } });
  const fill = (q) => {
    li.replaceChildren(...[
      h('h3', null, h('a', { href: pageUrl('proposal.html', { id: q.id }), class: 'prop-title' }, q.title)),
      h('p', { class: 'meta' }, h('span', { class: 'badge pstatus-' + q.status }, pstatusText(q.status)), ' · ', q.theme, ' · ',
        h('a', { href: pageUrl('profile.html', { code: q.area, year: q.area_year }) }, q.area), ' · ', dateText((q.created || '').slice(0, 10)),
        q.est_cost_eur !== null && q.est_cost_eur !== undefined ? ' · ' + t('prop.cost', { c: fmt(q.est_cost_eur, 0) }) : ''),
      h('p', { class: 'prop-text' }, q.text),
      q.status === 'declined' && q.decline_reason ? h('p', { class: 'outcome' }, t('prop.reason', { r: q.decline_reason })) : null,
      q.status === 'adopted' && q.initiative_id ? h('p', { class: 'outcome' }, h('a', { href: pageUrl('initiative.html', { id: q.initiative_id }) }, t('prop.adopted'))) : null,
      supportBox(q, fill, status)].filter(Boolean));
  };
  fill(p);
  return li;
}
