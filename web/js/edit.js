// Create or edit an initiative: partner editors for their own partner, the admin for any.
// Errors of the server name the field; the form puts the focus there.
import { api } from './api.js';
import { applyI18n, t } from './i18n.js';
import { $, h, option, pageUrl, say } from './dom.js';
import { me, send } from './session.js';
import { clearErrors, errorText, formError } from './reg-common.js';

const STATUSES = ['idee', 'gepland', 'lopend', 'afgerond', 'gestopt'];
const id = new URLSearchParams(location.search).get('id') || '';
const state = { me: null, ini: null, partners: [], themes: [] };

function fill() {
  const f = $('edit-form').elements;
  const i = state.ini || {};
  const role = state.me.user.role;
  // on a language switch keep what the user has chosen so far
  const boxes = [...$('theme-boxes').querySelectorAll('input[name="theme"]')];
  const chosen = boxes.length ? boxes.filter((b) => b.checked).map((b) => b.value) : (i.themes || []);
  const status = f.status.value || i.status || 'idee';
  const lead = Number(f.lead_partner_id.value) || i.lead_partner_id || state.me.user.partner_id;
  f.status.replaceChildren(...STATUSES.map((s) => option(s, t('status.' + s), status === s)));
  // a partner editor leads only for their own partner (the admin hands initiatives over)
  const leads = role === 'admin' ? state.partners : state.partners.filter((p) => p.id === state.me.user.partner_id || p.id === i.lead_partner_id);
  f.lead_partner_id.replaceChildren(...leads.map((p) => option(p.id, p.name, p.id === lead)));
  f.lead_partner_id.disabled = role !== 'admin' && leads.length < 2;
  $('theme-boxes').replaceChildren(...state.themes.map((th, k) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'theme', value: th, id: 'theme-' + k, checked: chosen.includes(th) }), ' ', th)));
  $('edit-heading').textContent = id ? t('edit.title') : t('edit.new');
  $('cancel').href = id ? pageUrl('initiative.html', { id }) : 'register.html';
}

function load() {
  const f = $('edit-form').elements;
  const i = state.ini || {};
  f.title.value = i.title || '';
  f.description.value = i.description || '';
  f.start.value = i.start || '';
  f.end.value = i.end || '';
  f.areas.value = (i.areas || []).join(', ');
  f.area_year.value = i.area_year || '';
  f.targets.value = (i.targets || []).map((x) => x.indicator + ':' + (x.direction === 'up' ? t('ini.up') : t('ini.down'))).join(', ');
}

function parseTargets(text) {
  const out = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, dir] = part.split(':').map((s) => (s || '').trim());
    const d = (dir || '').toLowerCase();
    const up = ['up', 'omhoog', '+'].includes(d), down = ['down', 'omlaag', '-'].includes(d);
    if (!key || (!up && !down)) throw Object.assign(new Error(t('edit.badtarget', { t: part })), { param: 'targets' });
    out.push({ indicator: key, direction: up ? 'up' : 'down' });
  }
  return out;
}

async function save(e) {
  e.preventDefault();
  const form = $('edit-form');
  const st = $('form-status');
  clearErrors(form, st);
  const f = form.elements;
  let body;
  try {
    body = {
      title: f.title.value.trim(),
      description: f.description.value || null,
      status: f.status.value,
      start: f.start.value || null,
      end: f.end.value || null,
      lead_partner_id: Number(f.lead_partner_id.value),
      themes: [...form.querySelectorAll('input[name="theme"]:checked')].map((x) => x.value),
      areas: f.areas.value.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean),
      area_year: f.area_year.value ? Number(f.area_year.value) : null,
      targets: parseTargets(f.targets.value),
    };
  } catch (err) {
    formError(form, st, err);
    return;
  }
  try {
    const saved = id ? await send('PUT', 'initiatives/' + encodeURIComponent(id), body) : await send('POST', 'initiatives', body);
    location.href = pageUrl('initiative.html', { id: saved.id });
  } catch (err) {
    // the server names the field: themes and areas are fieldsets/inputs with those names
    if (err.param === 'theme' || err.param === 'themes') err.param = 'theme';
    formError(form, st, err);
  }
}

async function main() {
  applyI18n(() => { if (state.me && state.me.user) fill(); });
  say($('status'), '');
  try {
    const [m, partners, themes] = await Promise.all([me(), api('partners'), api('themes')]);
    state.me = m;
    state.partners = partners.data;
    state.themes = themes.data;
    if (!m.user || !['admin', 'partner'].includes(m.user.role)) {
      say($('status'), t('edit.login'), 'error');
      document.body.dataset.ready = '1';
      return;
    }
    if (id) {
      state.ini = (await api('initiatives/' + encodeURIComponent(id))).data;
      if (!state.ini.can_edit) {
        say($('status'), t('edit.denied'), 'error');
        document.body.dataset.ready = '1';
        return;
      }
    }
  } catch (e) {
    say($('status'), errorText(e), 'error');
    return;
  }
  fill();
  load();
  $('edit-form').hidden = false;
  $('edit-form').addEventListener('submit', save);
  $('edit-form').elements.title.focus();
  document.body.dataset.ready = '1';
}

main();
