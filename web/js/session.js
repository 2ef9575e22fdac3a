// The session of this browser: who is logged in (GET /api/me), and sending changes with
// the CSRF token. The session cookie itself is HttpOnly: scripts never see it; the CSRF
// token comes from /api/me (readable only by pages of this origin) and goes along in the
// X-CSRF-Token header of every change.
import { ApiError } from './api.js';

let current = null;

/** {user: {id, name, role, partner_id, partner} | null, csrf, monitor_public} (cached). */
export function me(reload) {
  if (!current || reload) {
    current = fetch('api/me', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((r) => r.json())
      .catch(() => ({ user: null, monitor_public: true }));
  }
  return current;
}

export function forget() { current = null; }

/** Send a change: method, API path (without 'api/'), optional JSON body. */
export async function send(method, path, body) {
  const m = await me();
  const headers = { Accept: 'application/json' };
  if (m && m.csrf) headers['X-CSRF-Token'] = m.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('api/' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
  });
  let data = null;
  try { data = await res.json(); } catch (e) { /* no body */ }
  if (!res.ok) {
    const err = new ApiError(res.status, (data && data.error) || res.statusText, data && (data.field || data.param));
    err.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw err;
  }
  return data;
}

export async function login(user, password) {
  forget();
  const res = await send('POST', 'login', { user, password });
  current = Promise.resolve(res);
  return res;
}

export async function logout() {
  try { await send('POST', 'logout'); } finally { forget(); }
}

/** May this user change things at all (for showing forms)? */
export function roleOf(m) { return m && m.user ? m.user.role : 'anonymous'; }
