// The transitions page: how areas move between classes (/api/markov), as heat tables of
// transition probabilities for the nation or one municipality, before and after a break year,
// and, with "to the neighbours", one table per class of the neighbours' mean (spatial Markov)
// with the homogeneity tests; the steady state under each table. docs/spacetime.md.
import { api } from './api.js';
import { addStrings, applyI18n, fmt, label, t } from './i18n.js';

addStrings({
  'tr.title': 'Overgangen tussen klassen',
  'tr.classes': 'Klassen',
  'tr.classes.published': 'Gepubliceerde klassen',
  'tr.classes.n': '{k} kwantielklassen',
  'tr.in': 'Gebied',
  'tr.in.nl': 'Nederland',
  'tr.break': 'Breukjaar',
  'tr.break.none': 'Geen',
  'tr.spatial': 'Naar de buren (spatial Markov)',
  'tr.hint': 'Kans dat een gebied van de klasse in de rij bij de volgende meting in de klasse van de kolom staat. n = aantal overgangen uit die klasse.',
  'tr.from': 'van \\ naar',
  'tr.n': 'n',
  'tr.all': 'Alle gebieden',
  'tr.lag': 'Buren in klasse {l} van {m} (gemiddelde klasse van de buren t/m {upper})',
  'tr.lag.last': 'Buren in klasse {l} van {m} (gemiddelde klasse van de buren boven {lower})',
  'tr.period': '{from}–{to}: {n} overgangen',
  'tr.steady': 'Evenwicht',
  'tr.tests': 'Homogeniteit over de klassen van de buren: Q = {Q} (p = {Qp}), LR = {LR} (p = {LRp}), {dof} vrijheidsgraden.',
  'tr.counted': '{n} gebieden geteld; jaren {years}.',
  'tr.islands': 'Zonder buren (niet geteld): {codes}.',
  'tr.left': '{inc} gebieden met ontbrekende jaren en {nogeo} zonder kaartvlak niet meegenomen.',
  'tr.loading': 'Berekenen…',
  'tr.none': 'Geen indicator met waarden in meer dan één jaar.',
}, {
  'tr.title': 'Transitions between classes',
  'tr.classes': 'Classes',
  'tr.classes.published': 'Published classes',
  'tr.classes.n': '{k} quantile classes',
  'tr.in': 'Area',
  'tr.in.nl': 'The Netherlands',
  'tr.break': 'Break year',
  'tr.break.none': 'None',
  'tr.spatial': 'By the neighbours (spatial Markov)',
  'tr.hint': 'Probability that an area of the row\'s class is in the column\'s class at the next measurement. n = transitions out of that class.',
  'tr.from': 'from \\ to',
  'tr.n': 'n',
  'tr.all': 'All areas',
  'tr.lag': 'Neighbours in class {l} of {m} (neighbours\' mean class up to {upper})',
  'tr.lag.last': 'Neighbours in class {l} of {m} (neighbours\' mean class above {lower})',
  'tr.period': '{from}–{to}: {n} transitions',
  'tr.steady': 'Steady state',
  'tr.tests': 'Homogeneity over the neighbours\' classes: Q = {Q} (p = {Qp}), LR = {LR} (p = {LRp}), {dof} degrees of freedom.',
  'tr.counted': '{n} areas counted; years {years}.',
  'tr.islands': 'Without neighbours (not counted): {codes}.',
  'tr.left': '{inc} areas with missing years and {nogeo} without a polygon not included.',
  'tr.loading': 'Computing…',
  'tr.none': 'No indicator with values in more than one year.',
});

const $ = (id) => document.getElementById(id);
const LEVEL_ORDER = ['wijk', 'buurt', 'gemeente'];
let indicators = [], gemeenten = [], result = null, seq = 0;

function option(value, text) {
  const o = document.createElement('option');
  o.value = String(value);
  o.textContent = text;
  return o;
}

function setStatus(msg) { $('status').textContent = msg || ''; }

/* "klasse 1-9" -> true: the published classes are the states */
function published(ind) { return /^klasse \d+-\d+$/.test(ind.unit || ''); }

function years(ind, level) {
  return [...new Set(ind.coverage.filter((c) => c.level === level).map((c) => c.year))].sort((a, b) => a - b);
}

function fillControls() {
  const usable = indicators.filter((i) => LEVEL_ORDER.some((l) => years(i, l).length >= 2));
  if (!usable.length) { setStatus(t('tr.none')); return false; }
  const cur = $('indicator').value || (usable.find((i) => i.key === 'lbm_klasse') || usable[0]).key;
  $('indicator').replaceChildren(...usable.map((i) => option(i.key, label(i))));
  $('indicator').value = usable.some((i) => i.key === cur) ? cur : usable[0].key;
  const ind = usable.find((i) => i.key === $('indicator').value);
  const levels = LEVEL_ORDER.filter((l) => years(ind, l).length >= 2);
  const lv = $('level').value;
  $('level').replaceChildren(...levels.map((l) => option(l, t('level.' + l))));
  $('level').value = levels.includes(lv) ? lv : levels[0];
  const cl = $('classes').value;
  const opts = published(ind) ? [['', t('tr.classes.published')]] : [];
  for (const k of [3, 4, 5, 7]) opts.push([String(k), t('tr.classes.n', { k })]);
  $('classes').replaceChildren(...opts.map(([v, s]) => option(v, s)));
  $('classes').value = opts.some(([v]) => v === cl) ? cl : opts[0][0];
  const ys = years(ind, $('level').value);
  const br = $('break').value;
  $('break').replaceChildren(option('', t('tr.break.none')), ...ys.slice(1, -1).map((y) => option(y, String(y))));
  $('break').value = ys.slice(1, -1).map(String).includes(br) ? br : '';
  return true;
}

function fillAreas(boundaryYear) {
  const cur = $('in').value;
  const gms = gemeenten.filter((g) => g.year === boundaryYear);
  $('in').replaceChildren(option('', t('tr.in.nl')), ...gms.map((g) => option(g.code, (g.name || g.code) + ' (' + g.code + ')')));
  $('in').value = gms.some((g) => g.code === cur) ? cur : '';
}

/* A heat table of one chain: rows from, columns to, the probability as the cell's shade. */
function heatTable(chain, states, caption) {
  const table = document.createElement('table');
  table.className = 'heat-table';
  const cap = document.createElement('caption');
  cap.textContent = caption;
  table.appendChild(cap);
  const head = document.createElement('tr');
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = t('tr.from');
  head.appendChild(corner);
  for (const s of states) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = s;
    head.appendChild(th);
  }
  const nth = document.createElement('th');
  nth.scope = 'col';
  nth.textContent = t('tr.n');
  head.appendChild(nth);
  const thead = document.createElement('thead');
  thead.appendChild(head);
  const body = document.createElement('tbody');
  states.forEach((s, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = s;
    tr.appendChild(th);
    const n = chain.counts[i].reduce((a, b) => a + b, 0);
    states.forEach((_, j) => {
      const td = document.createElement('td');
      const p = chain.p[i][j];
      td.className = 'num' + (i === j ? ' diag' : '');
      if (n > 0) {
        td.textContent = fmt(100 * p, 0) + '%';
        td.dataset.p = String(p);
        td.style.background = 'rgba(33, 102, 172, ' + (0.08 + 0.82 * p).toFixed(3) + ')';
        if (p > 0.55) td.style.color = '#fff';
        td.title = fmt(chain.counts[i][j], 0) + ' / ' + fmt(n, 0);
      } else {
        td.textContent = '—';
      }
      tr.appendChild(td);
    });
    const tdn = document.createElement('td');
    tdn.className = 'num';
    tdn.textContent = fmt(n, 0);
    tr.appendChild(tdn);
    body.appendChild(tr);
  });
  // the steady state(s) under the table; a class never observed here is made absorbing (as
  // giddy does) and is a steady state of its own: not worth a row
  const foot = document.createElement('tfoot');
  const seen = chain.counts.map((row) => row.some((c) => c > 0));
  for (const st of chain.steady.filter((s) => s.some((v, i) => v > 0 && seen[i]))) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = t('tr.steady');
    tr.appendChild(th);
    for (const v of st) {
      const td = document.createElement('td');
      td.className = 'num';
      td.textContent = v > 0 ? fmt(100 * v, 1) + '%' : '';
      tr.appendChild(td);
    }
    tr.appendChild(document.createElement('td'));
    foot.appendChild(tr);
  }
  table.append(thead, body, foot);
  return table;
}

function render() {
  const box = $('tables');
  box.replaceChildren();
  if (!result) return;
  const d = result;
  for (const per of d.periods) {
    const sec = document.createElement('section');
    sec.className = 'heat-period';
    const h = document.createElement('h2');
    h.textContent = t('tr.period', { from: per.from, to: per.to, n: fmt(per.transitions, 0) });
    sec.appendChild(h);
    const m = per.chains.length - 1;
    per.chains.forEach((c, k) => {
      let cap = t('tr.all');
      if (c.lag_class) {
        cap = c.lag_class < m ? t('tr.lag', { l: c.lag_class, m, upper: fmt(c.lag_upper, 2) })
          : t('tr.lag.last', { l: c.lag_class, m, lower: fmt(per.chains[k - 1].lag_upper, 2) });
      }
      sec.appendChild(heatTable(c, d.states, cap));
    });
    if (per.tests) {
      const p = document.createElement('p');
      p.className = 'tests';
      p.textContent = t('tr.tests', { Q: fmt(per.tests.Q, 1), Qp: fmt(per.tests.Q_p, 3), LR: fmt(per.tests.LR, 1),
        LRp: fmt(per.tests.LR_p, 3), dof: per.tests.dof });
      sec.appendChild(p);
    }
    box.appendChild(sec);
  }
  const notes = [t('tr.counted', { n: fmt(d.n_counted, 0), years: d.years.join(', ') })];
  if (d.spatial) {
    if (d.spatial.incomplete || d.spatial.no_geometry)
      notes.push(t('tr.left', { inc: fmt(d.spatial.incomplete, 0), nogeo: fmt(d.spatial.no_geometry, 0) }));
    if (d.spatial.islands.length) notes.push(t('tr.islands', { codes: d.spatial.islands.join(', ') }));
  }
  $('tr-notes').textContent = notes.join(' ');
}

async function load() {
  const my = ++seq;
  document.body.dataset.ready = '0';
  setStatus(t('tr.loading'));
  const q = { indicator: $('indicator').value, level: $('level').value };
  if ($('classes').value) q.classes = $('classes').value;
  if ($('break').value) q.break = $('break').value;
  if ($('spatial').checked) q.spatial = 1;
  if ($('in').value) q.in = $('in').value;
  history.replaceState(null, '', '?' + new URLSearchParams(q));
  try {
    const { data } = await api('markov', q);
    if (my !== seq) return;
    result = data;
    if (!gemeenten.length) {
      try { gemeenten = (await api('areas', { level: 'gemeente', year: data.boundary_year })).data; } catch (e) { gemeenten = []; }
    }
    fillAreas(data.boundary_year);
    setStatus('');
  } catch (e) {
    if (my !== seq) return;
    result = null;
    setStatus(t('error', { msg: e.message }));
  }
  render();
  document.body.dataset.ready = '1';
}

async function main() {
  applyI18n(() => { if (indicators.length) { fillControls(); render(); } });
  try {
    indicators = (await api('indicators')).data;
  } catch (e) {
    setStatus(t('error', { msg: e.message }));
    document.body.dataset.ready = '1';
    return;
  }
  const p = new URLSearchParams(location.search);
  if (p.get('indicator')) $('indicator').replaceChildren(option(p.get('indicator'), p.get('indicator')));
  if (!fillControls()) { document.body.dataset.ready = '1'; return; }
  for (const k of ['level', 'classes', 'break']) if (p.get(k)) $(k).value = p.get(k);
  $('spatial').checked = p.get('spatial') === '1';
  if (p.get('in')) $('in').replaceChildren(option(p.get('in'), p.get('in')));
  for (const id of ['indicator', 'level', 'classes', 'break']) $(id).addEventListener('change', () => { fillControls(); load(); });
  $('in').addEventListener('change', load);
  $('spatial').addEventListener('change', load);
  load();
}

main();
