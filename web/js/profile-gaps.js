// The gaps of one neighbourhood on its profile: does it need attention, which score
// dimensions are weak, and which running initiatives reach them (GET /api/gaps?code=).
import { api } from './api.js';
import { fmt } from './i18n.js';
import { et, initiativeRef } from './effort-common.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Fill @p section (hidden until there is something to show) for area @p code. */
export async function renderProfileGaps(section, code, boundaryYear, models, level) {
  section.hidden = true;
  const model = (models.find((m) => m.name === 'lbm') || models[0] || {}).name;
  if (!model) return null;
  let g;
  try {
    g = (await api('gaps', { model, code, level: level || 'buurt', boundary_year: boundaryYear, all: 1 })).data;
  } catch (e) {
    return null; /* no scores or no register for this area */
  }
  const a = g.areas.find((x) => x.code === code);
  if (!a) return null;
  const body = [el('h2', null, et('profile.title'))];
  if (a.status === 'none') {
    body.push(el('p', null, et('profile.none', { model: g.model, year: g.year })));
  } else {
    body.push(el('p', 'score-head', et('profile.need', { model: g.model, year: g.year, need: a.need.map((n) => et('need.' + n)).join(', ') })));
    const ul = el('ul', 'gap-dims');
    for (const w of a.weak) {
      const li = el('li');
      li.dataset.dim = w.dim;
      li.append((w.label || w.dim) + ' (z ' + fmt(w.z, 2) + '): ');
      if (w.initiatives.length) {
        li.append(et('profile.by') + ' ');
        w.initiatives.forEach((id, i) => { if (i) li.append(', '); li.append(initiativeRef(id)); });
      } else {
        li.append(el('span', 'gap-status-gap', et('profile.gap')));
      }
      ul.append(li);
    }
    body.push(el('h3', null, et('profile.weak')), ul);
  }
  section.replaceChildren(...body);
  section.hidden = false;
  section.dataset.status = a.status;
  return a;
}
