// The account corner of the header on every page: "Inloggen", or the user's name and role
// with "Uitloggen"; administrators also get the Beheer link. Loaded by every page (before
// the page's own script, so that the register's translations are there when it runs).
import './i18n-register.js';
import { t } from './i18n.js';
import { h, pageUrl } from './dom.js';
import { logout, me } from './session.js';

function here() {
  const page = location.pathname.split('/').pop() || 'index.html';
  return page + location.search;
}

export async function renderAccount() {
  const box = document.getElementById('account');
  const m = await me();
  if (box) {
    if (m.user) {
      const out = h('button', { type: 'button', class: 'link-button', id: 'logout', 'data-i18n': 'account.logout', text: t('account.logout') });
      out.addEventListener('click', async () => {
        try { await logout(); } catch (e) { /* the session may have ended already */ }
        location.href = 'login.html';
      });
      box.replaceChildren(
        h('span', { class: 'who', id: 'who' }, m.user.name),
        h('span', { class: 'role' }, ' (', h('span', { 'data-i18n': 'role.' + m.user.role, text: t('role.' + m.user.role) }), ') '),
        out);
    } else {
      box.replaceChildren(h('a', { href: pageUrl('login.html', { next: here() }), id: 'login-link', 'data-i18n': 'account.login', text: t('account.login') }));
    }
  }
  const nav = document.querySelector('header.top nav');
  if (nav && m.user && m.user.role === 'admin' && !nav.querySelector('a[href="admin.html"]'))
    nav.append(h('a', { href: 'admin.html', 'data-i18n': 'nav.admin', text: t('nav.admin') }));
  return m;
}

renderAccount();
