// The administrator's page: accounts, the monitor's openness, partners, themes, change log.
import { api } from './api.js';
import { applyI18n, t } from './i18n.js';
import { $, h, option, say } from './dom.js';
import { me, send } from './session.js';
import { clearErrors, errorText, formError } from './reg-common.js';

const ROLES = ['admin', 'partner', 'resident', 'viewer'];
const TYPES = ['gemeente', 'woningcorporatie', 'zorg en welzijn', 'politie', 'onderwijs', 'bewonersorganisatie', 'ondernemers', 'overig'];
const state = { users: [], partners: [], audit: [], me: null };

function renderUsers() {
  const head = h('thead', null, h('tr', null, ...['admin.user.name', 'admin.user.role', 'col.partner', '']
    .map((k) => h('th', { scope: 'col', text: k ? t(k) : '' }))));
  const body = h('tbody');
  for (const u of state.users) {
    const b = h('button', { type: 'button', class: 'button small', text: u.disabled ? t('admin.user.enable') : t('admin.user.disable') });
    b.addEventListener('click', async () => {
      try {
        await send('POST', 'users/' + encodeURIComponent(u.name) + '/disable', { disabled: !u.disabled });
        await load();
      } catch (e) {
        say($('status'), errorText(e), 'error');
      }
    });
    body.append(h('tr', null, h('th', { scope: 'row' }, u.name, u.disabled ? ' (' + t('admin.user.disabled') + ')' : ''),
      h('td', null, t('role.' + u.role)), h('td', null, u.partner || ''), h('td', null, u.name === state.me.user.name ? '' : b)));
  }
  $('users').replaceChildren(head, body);
  const f = $('user-form').elements;
  const role = f.role.value || 'resident';
  f.role.replaceChildren(...ROLES.map((r) => option(r, t('role.' + r), r === role)));
  f.partner_id.replaceChildren(option('', '—'), ...state.partners.map((p) => option(p.id, p.name)));
  $('partner-form').elements.type.replaceChildren(...TYPES.map((x) => option(x, x)));
}

function renderAudit() {
  const head = h('thead', null, h('tr', null, ...['admin.audit.at', 'admin.audit.actor', 'admin.audit.what']
    .map((k) => h('th', { scope: 'col', text: t(k) }))));
  const body = h('tbody');
  for (const a of state.audit)
    body.append(h('tr', null, h('td', null, a.at.replace('T', ' ').slice(0, 19)), h('td', null, a.actor),
      h('td', null, a.action + ' ' + a.entity + ' #' + a.entity_id)));
  $('audit').replaceChildren(head, body);
}

async function load() {
  const [users, partners, audit] = await Promise.all([api('users'), api('partners'), api('audit', { limit: 50 })]);
  state.users = users.data;
  state.partners = partners.data;
  state.audit = audit.data;
  renderUsers();
  renderAudit();
}

function formHandler(id, build, path) {
  const form = $(id);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const st = form.querySelector('.form-status');
    clearErrors(form, st);
    try {
      await send('POST', path, build(form.elements));
      form.reset();
      await load();
      say(st, t('saved'), 'ok');
    } catch (err) {
      formError(form, st, err);
    }
  });
}

async function main() {
  applyI18n(() => { if (state.me) { renderUsers(); renderAudit(); } });
  state.me = await me();
  if (!state.me.user || state.me.user.role !== 'admin') {
    say($('status'), t('admin.only'), 'error');
    document.body.dataset.ready = '1';
    return;
  }
  try {
    await load();
  } catch (e) {
    say($('status'), errorText(e), 'error');
    return;
  }
  $('monitor-public').checked = state.me.monitor_public !== false;
  $('monitor-public').addEventListener('change', async (e) => {
    try {
      await send('PUT', 'settings', { monitor_public: e.target.checked });
      say($('settings-status'), t('saved'), 'ok');
    } catch (err) {
      e.target.checked = !e.target.checked;
      say($('settings-status'), errorText(err), 'error');
    }
  });
  formHandler('user-form', (f) => {
    const b = { name: f.name.value.trim(), role: f.role.value, password: f.password.value };
    if (f.role.value === 'partner' && f.partner_id.value) b.partner_id = Number(f.partner_id.value);
    return b;
  }, 'users');
  formHandler('partner-form', (f) => {
    const b = { name: f.name.value.trim(), type: f.type.value };
    if (f.contact.value.trim()) b.contact = f.contact.value.trim();
    return b;
  }, 'partners');
  formHandler('theme-form', (f) => ({ name: f.name.value.trim() }), 'themes');
  $('admin').hidden = false;
  document.body.dataset.ready = '1';
}

main();
