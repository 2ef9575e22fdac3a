// Logging in (POST /api/login sets an HttpOnly session cookie), and changing one's password.
import { applyI18n, t } from './i18n.js';
import { $, say } from './dom.js';
import { login, me, send } from './session.js';
import { clearErrors, formError } from './reg-common.js';

/* Only our own pages as a destination after login: "page.html?query", nothing else (no
 * other site, no scheme, no //host). */
function nextPage() {
  const n = new URLSearchParams(location.search).get('next') || '';
  return /^[a-z]+\.html(\?[^#\\]*)?$/.test(n) ? n : 'register.html';
}

async function showLoggedIn(m) {
  $('login-form').hidden = true;
  $('logged-in').hidden = false;
  $('whoami').textContent = t('login.as', { name: m.user.name, role: t('role.' + m.user.role) });
}

async function main() {
  applyI18n(async () => { const m = await me(); if (m.user) showLoggedIn(m); });
  const m = await me();
  if (!m.user && m.session_error) say($('status'), t('login.expired'));
  else if (!m.user && m.monitor_public === false) say($('status'), t('login.closed'));
  if (m.user) showLoggedIn(m);
  else $('login-form').hidden = false;
  const form = $('login-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const btn = $('login-submit');
    btn.disabled = true;
    say($('status'), t('login.busy'));
    try {
      await login(form.elements.user.value.trim(), form.elements.password.value);
      form.elements.password.value = '';
      location.href = nextPage();
    } catch (err) {
      form.elements.password.value = '';
      say($('status'), err.status === 429 ? t('login.locked', { s: err.retryAfter || 60 }) : t('login.failed', { msg: err.message }), 'error');
      form.elements.password.focus();
    } finally {
      btn.disabled = false;
    }
  });
  const pw = $('pw-form');
  pw.addEventListener('submit', async (e) => {
    e.preventDefault();
    const st = $('pw-status');
    clearErrors(pw, st);
    try {
      await send('POST', 'me/password', { old_password: pw.elements.old_password.value, new_password: pw.elements.new_password.value });
      pw.reset();
      await me(true); // a new session and CSRF token
      say(st, t('password.done'), 'ok');
    } catch (err) {
      formError(pw, st, err);
    }
  });
  if (!m.user) form.elements.user.focus();
  document.body.dataset.ready = '1';
}

main();
