// The class path and lag path of an area on its profile page: its Leefbaarometer class in
// every measurement year, the mean class of its neighbours and the class of that mean among
// all areas (the lag classes of the spatial Markov chain, /api/markov?spatial=1&code=).
// docs/spacetime.md. The section stays hidden when the level has no lbm_klasse series.
import { api } from './api.js';
import { addStrings, fmt, getLang, t } from './i18n.js';
import { LBM_NAMES } from './colors.js';

addStrings({
  'mob.title': 'Klasse en buren door de tijd',
  'mob.year': 'Jaar',
  'mob.class': 'Klasse',
  'mob.lag': 'Gemiddelde klasse van de buren',
  'mob.lagclass': 'Buren (klasse van {m})',
  'mob.hint': 'De Leefbaarometer-klasse van dit gebied per meting, het gemiddelde van zijn buren en waar dat gemiddelde staat onder alle gebieden (1 = de zwakste buren). Een gebied tussen zwakke buren klimt minder vaak: zie Overgangen.',
  'mob.notanalysed': 'Dit gebied heeft niet in elk jaar een klasse of geen buren: alleen zijn klassen.',
  'mob.link': 'Overgangen tussen klassen',
}, {
  'mob.title': 'Class and neighbours over time',
  'mob.year': 'Year',
  'mob.class': 'Class',
  'mob.lag': 'Neighbours\' mean class',
  'mob.lagclass': 'Neighbours (class of {m})',
  'mob.hint': 'The Leefbaarometer class of this area at each measurement, the mean of its neighbours and where that mean stands among all areas (1 = the weakest neighbours). An area among weak neighbours climbs less often: see Transitions.',
  'mob.notanalysed': 'This area lacks a class in some year or has no neighbours: its classes only.',
  'mob.link': 'Transitions between classes',
});

/** @p profile: the /api/areas/{code} answer; asks the API only when the area has a series of
 *  published Leefbaarometer classes (unit "klasse 1-9"), so no request is refused. */
export async function renderMobility(section, profile) {
  const area = profile.area;
  section.hidden = true;
  if (area.level !== 'wijk' && area.level !== 'buurt') return;
  const kl = (profile.indicators || []).find((i) => i.key === 'lbm_klasse');
  if (!kl || !/^klasse \d+-\d+$/.test(kl.unit || '') ||
      (kl.series || []).filter((s) => Number.isFinite(s.value)).length < 2) return;
  let d;
  try {
    d = (await api('markov', { indicator: 'lbm_klasse', level: area.level, boundary_year: area.year, spatial: 1,
      code: area.code })).data;
  } catch (e) {
    return; /* no classes on these boundaries */
  }
  const path = d.path;
  if (!path || !path.values.some((v) => Number.isFinite(v))) return;
  const m = d.periods[0].chains.length - 1;
  const h = document.createElement('h2');
  h.id = 'mobility-title';
  h.textContent = t('mob.title');
  const table = document.createElement('table');
  table.className = 'key-table mobility-path';
  const head = document.createElement('tr');
  for (const k of ['mob.year', 'mob.class', 'mob.lag', 'mob.lagclass']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(k, { m });
    head.appendChild(th);
  }
  const thead = document.createElement('thead');
  thead.appendChild(head);
  const body = document.createElement('tbody');
  const names = LBM_NAMES[getLang()] || LBM_NAMES.nl;
  d.years.forEach((y, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(y);
    tr.appendChild(th);
    const v = path.values[i];
    const cells = [Number.isFinite(v) ? fmt(v, 0) + ' ' + (names[v - 1] || '') : '—',
      path.lag && Number.isFinite(path.lag[i]) ? fmt(path.lag[i], 2) : '—',
      path.lag_class && path.lag_class[i] ? String(path.lag_class[i]) : '—'];
    for (const c of cells) {
      const td = document.createElement('td');
      td.className = 'num';
      td.textContent = c;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  });
  table.append(thead, body);
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.textContent = path.analysed ? t('mob.hint') : t('mob.notanalysed');
  const link = document.createElement('a');
  link.href = 'transitions.html?' + new URLSearchParams({ indicator: 'lbm_klasse', level: area.level, spatial: '1' });
  link.textContent = t('mob.link');
  hint.append(' ', link);
  section.replaceChildren(h, table, hint);
  section.hidden = false;
}
