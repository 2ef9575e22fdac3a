// The JSON API of the wijkbeeld server (same origin).
export class ApiError extends Error {
  constructor(status, message, param) {
    super(message);
    this.status = status;
    this.param = param;
  }
}

export async function api(path, params) {
  const q = params ? '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')) : '';
  const res = await fetch('api/' + path + q, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let body = {};
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    throw new ApiError(res.status, body.error || res.statusText, body.param);
  }
  return { data: await res.json(), headers: res.headers };
}

export function apiUrl(path, params) {
  return 'api/' + path + '?' + new URLSearchParams(params);
}
