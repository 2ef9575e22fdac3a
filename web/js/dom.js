// Building DOM nodes without HTML strings: every text, and above all user text (titles,
// names, descriptions), becomes a text node or textContent, so markup in it is shown as
// text and never run. Nothing in the register's pages uses innerHTML.

/**
 * h('a', {href: 'x.html', class: 'button', onclick: fn}, 'text', child, [more]) -> element.
 * Props: class, text (textContent), dataset {..}, on<event> handlers, DOM properties that
 * are not strings (hidden, disabled, checked, value as number), other attributes as text.
 */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = String(v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = String(v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  for (const c of kids.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c)); // a string becomes a text node
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

/** A query-string link to one of our pages (values are encoded). */
export function pageUrl(page, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return page + (s ? '?' + s : '');
}

export function option(value, text, selected) {
  const o = document.createElement('option');
  o.value = String(value);
  o.textContent = text;
  if (selected) o.selected = true;
  return o;
}

/** A status line (role=status) for messages; kind 'error' marks it as such. */
export function say(el, msg, kind) {
  el.textContent = msg || '';
  el.classList.toggle('error', kind === 'error');
  el.classList.toggle('ok', kind === 'ok');
}
