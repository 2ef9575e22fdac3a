// Pieces shared by the register's pages.
import { fmt, getLang, t } from './i18n.js';
import { h, pageUrl } from './dom.js';

export function statusText(s) { return t('status.' + s); }

/** YYYY-MM-DD as a local date (no time zone shift: the date is taken as written). */
export function dateText(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(getLang() === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function periodText(x) {
  if (!x.start && !x.end) return '—';
  return (x.start ? dateText(x.start) : '…') + ' – ' + (x.end ? dateText(x.end) : t('ini.open'));
}

/** Links to the profiles of area codes (a DocumentFragment). */
export function areaLinks(codes, year) {
  const frag = document.createDocumentFragment();
  (codes || []).forEach((c, k) => {
    if (k) frag.append(', ');
    frag.append(h('a', { href: pageUrl('profile.html', { code: c, year }) }, c));
  });
  return frag;
}

export function amountText(c) {
  return c.kind === 'hours' ? fmt(c.amount, 0) + ' ' + t('col.hours').toLowerCase() : '€ ' + fmt(c.amount, 0);
}

/** A message for a failed request: not logged in, not allowed, or the server's words. */
export function errorText(e) {
  if (e.status === 401) return t('needlogin') + ' (' + e.message + ')';
  if (e.status === 403) return t('forbidden', { msg: e.message });
  return t('error', { msg: e.message });
}

/** Show a request's error next to a form and put the focus on the field it names. */
export function formError(form, status, e) {
  status.textContent = errorText(e);
  status.classList.add('error');
  const f = e.param && form.querySelector('[name="' + CSS.escape(e.param) + '"]');
  if (f) {
    f.setAttribute('aria-invalid', 'true');
    f.focus();
  }
}

export function clearErrors(form, status) {
  status.textContent = '';
  status.classList.remove('error', 'ok');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** The proposal status as text. */
export function pstatusText(s) { return t('pstatus.' + s); }
