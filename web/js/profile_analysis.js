// The analysis parts of the profile page: the livability score and its dimensions beside the
// wijk, the gemeente and the nation (/api/scorecard, /api/explain), the trend since 2012 with
// the RIGO group (/api/trend), and the area's LISA cluster (/api/lisa, /api/moran).
import { api } from './api.js';
import { addStrings, fmt, getLang, t } from './i18n.js';
import { LBM_COLORS, LBM_NAMES, LISA_COLORS } from './colors.js';
import './map_modes.js'; // the names of the LISA clusters

const STRINGS = {
  nl: {
    'an.score.title': 'Leefbaarheid',
    'an.score.model': 'Model',
    'an.score.head': '{title}, {year}',
    'an.score.total': 'Score (totaal)',
    'an.score.class': 'Klasse',
    'an.score.contribution': 'Bijdrage',
    'an.score.published': 'gepubliceerde klasse',
    'an.score.hint': 'Dimensies en score van dit gebied naast die van de wijk, de gemeente en Nederland, met dezelfde weging en standaardisering. Bijdrage: wat elke dimensie aan de score van dit gebied bijdraagt.',
    'an.score.mean': 'Gemiddelde ({n} {level})*',
    'an.score.mean.note': '* Geen landelijke waarden in de database voor deze grenzen: het ongewogen gemiddelde van alle {level} van {year}.',
    'an.role.area': 'Dit gebied',
    'an.role.wijk': 'Wijk',
    'an.role.gemeente': 'Gemeente',
    'an.role.nation': 'Nederland',
    'an.trend.title': 'Ontwikkeling sinds 2012',
    'an.trend.of': 'Van: {what} ({level}, grenzen van {by}).',
    'an.trend.class': 'Trend sinds {brk}',
    'an.trend.rule.hinge': 'hellingsmodel met knik in {brk}: helling na {brk}, t-toets',
    'an.trend.rule.sen': 'Theil-Sen en Mann-Kendall over {brk}–{last}',
    'an.trend.slopes': 'Helling vóór / na {brk}',
    'an.trend.slopes.value': '{before} / {after} per jaar',
    'an.trend.slope.value': '{slope} per jaar (p {p})',
    'an.trend.mk': 'Mann-Kendall {from}–{to}',
    'an.trend.mk.value': 'tau = {tau}, p {p} ({n} jaren)',
    'an.trend.group': 'Groep (RIGO)',
    'an.trend.level': 'Niveau {year}: {z} standaarddeviaties {side} de mediaan van alle {level}.',
    'an.trend.above': 'boven',
    'an.trend.below': 'onder',
    'an.trend.short': 'Met {n} meetjaren vanaf {brk} kan geen trend significant worden (de kleinste mogelijke p is {pmin}): "stagneert" betekent hier dat geen verandering aan te tonen is.',
    'an.trend.none': 'Te weinig jaren voor een trend.',
    'an.group.success': 'succes: verbetert, goed niveau',
    'an.group.slow_recovery': 'langzaam herstel: verbetert, zwak niveau',
    'an.group.relapse': 'terugval: duidelijke daling sinds 2012',
    'an.group.early_warning': 'vroege waarschuwing: redelijk maar onder het gemiddelde, stagneert',
    'an.group.none': 'geen van de vier groepen',
    'an.group.chip.success': 'succes',
    'an.group.chip.slow_recovery': 'langzaam herstel',
    'an.group.chip.relapse': 'terugval',
    'an.group.chip.early_warning': 'vroege waarschuwing',
    'an.lisa': 'Ruimtelijk cluster ({year})',
    'an.lisa.value': '{cluster} (pseudo p {p})',
    'an.lisa.context': "Moran's I van alle {level}: {I} (pseudo p {pp}).",
    'an.lisa.link': 'Bekijk de clusterkaart',
    'an.lisa.none': 'Geen waarde of geen buren voor dit gebied.',
  },
  en: {
    'an.score.title': 'Livability',
    'an.score.model': 'Model',
    'an.score.head': '{title}, {year}',
    'an.score.total': 'Score (total)',
    'an.score.class': 'Class',
    'an.score.contribution': 'Contribution',
    'an.score.published': 'published class',
    'an.score.hint': 'Dimensions and score of this area beside those of its district, municipality and the Netherlands, weighted and standardised alike. Contribution: what each dimension adds to this area\'s score.',
    'an.score.mean': 'Mean ({n} {level})*',
    'an.score.mean.note': '* No national values in the database for these boundaries: the unweighted mean of all {level} of {year}.',
    'an.role.area': 'This area',
    'an.role.wijk': 'District',
    'an.role.gemeente': 'Municipality',
    'an.role.nation': 'Netherlands',
    'an.trend.title': 'Development since 2012',
    'an.trend.of': 'Of: {what} ({level}, {by} boundaries).',
    'an.trend.class': 'Trend since {brk}',
    'an.trend.rule.hinge': 'hinge model broken at {brk}: slope after {brk}, t-test',
    'an.trend.rule.sen': 'Theil-Sen and Mann-Kendall over {brk}–{last}',
    'an.trend.slopes': 'Slope before / after {brk}',
    'an.trend.slopes.value': '{before} / {after} a year',
    'an.trend.slope.value': '{slope} a year (p {p})',
    'an.trend.mk': 'Mann-Kendall {from}–{to}',
    'an.trend.mk.value': 'tau = {tau}, p {p} ({n} years)',
    'an.trend.group': 'Group (RIGO)',
    'an.trend.level': 'Level {year}: {z} standard deviations {side} the median of all {level}.',
    'an.trend.above': 'above',
    'an.trend.below': 'below',
    'an.trend.short': 'With {n} measurement years from {brk} no trend can be significant (the smallest possible p is {pmin}): "stagnating" means that no change can be shown.',
    'an.trend.none': 'Too few years for a trend.',
    'an.group.success': 'success: improving, good level',
    'an.group.slow_recovery': 'slow recovery: improving, weak level',
    'an.group.relapse': 'relapse: clear decline since 2012',
    'an.group.early_warning': 'early warning: fair but below average, stagnating',
    'an.group.none': 'none of the four groups',
    'an.group.chip.success': 'success',
    'an.group.chip.slow_recovery': 'slow recovery',
    'an.group.chip.relapse': 'relapse',
    'an.group.chip.early_warning': 'early warning',
    'an.lisa': 'Spatial cluster ({year})',
    'an.lisa.value': '{cluster} (pseudo p {p})',
    'an.lisa.context': "Moran's I of all {level}: {I} (pseudo p {pp}).",
    'an.lisa.link': 'Open the cluster map',
    'an.lisa.none': 'No value or no neighbours for this area.',
  },
};
addStrings(STRINGS.nl, STRINGS.en);

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function signed(v, d) {
  if (!Number.isFinite(v)) return '—';
  return (v > 0 ? '+' : '') + fmt(v, d);
}

/* "= 0,25" or "< 0,001", for "p {p}" */
function pText(p) {
  if (!Number.isFinite(p)) return '—';
  return p < 0.001 ? '< ' + fmt(0.001, 3) : '= ' + fmt(p, 3);
}

/** Everything the analysis sections need; parts that fail are left out (null). */
export async function loadAnalysis(profile) {
  const a = profile.area;
  const out = { card: null, explain: null, model: null, models: [], trend: null, trendOf: null, lisa: null, moran: null, lisaQuery: null };
  if (a.level === 'land') return out;
  try {
    const models = (await api('models')).data;
    models.sort((x, y) => (y.name === 'lbm') - (x.name === 'lbm')); // the Leefbaarometer first
    for (const m of models) {
      try {
        const q = { model: m.name, code: a.code, boundary_year: a.year };
        const [card, ex] = await Promise.all([api('scorecard', q), api('explain', q)]);
        out.card = card.data;
        out.explain = ex.data;
        out.model = m;
        break;
      } catch (e) { /* this model does not score this area */ }
    }
  } catch (e) { /* no models */ }
  // the livability series: the Leefbaarometer total where the area has it, else the score
  const lbm = profile.indicators.find((i) => i.key === 'lbm' && i.latest);
  const src = lbm ? { indicator: 'lbm' } : out.model ? { model: out.model.name } : null;
  if (!src) return out;
  out.trendOf = lbm ? lbm : { label_nl: out.card.title || out.model.name, label_en: out.card.title || out.model.name };
  const year = lbm ? lbm.latest.year : out.card.year;
  const q = { ...src, level: a.level, boundary_year: a.year };
  out.lisaQuery = { ...src, level: a.level, year, by: a.year };
  const [tr, li, mo] = await Promise.allSettled([
    api('trend', { ...q, code: a.code }),
    api('lisa', { ...q, year }),
    api('moran', { ...q, year }),
  ]);
  if (tr.status === 'fulfilled') out.trend = { ...tr.value.data, result: tr.value.data.results[0] };
  if (li.status === 'fulfilled') out.lisa = li.value.data.find((r) => r.code === a.code) || { missing: true };
  if (mo.status === 'fulfilled') out.moran = mo.value.data;
  return out;
}

/** Chips for the labels list: the RIGO group of the livability trend. */
export function groupChips(an) {
  const r = an && an.trend && an.trend.result;
  if (!r || !r.group || r.group === 'none') return [];
  const li = el('li', { class: 'label derived group-' + r.group, title: t('an.group.' + r.group) }, t('an.group.chip.' + r.group));
  return [li];
}

function classCell(klass, published) {
  if (!klass) return '—';
  const names = LBM_NAMES[getLang()] || LBM_NAMES.nl;
  const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  sw.style.background = LBM_COLORS[klass - 1];
  return el('span', { class: 'class-cell' }, sw, klass + ' ' + names[klass - 1] + (published ? ' (' + t('an.score.published') + ')' : ''));
}

/* The score card: rows total + dimensions, columns the area and its references. */
function renderScore(profile, an) {
  const sec = $('score-section');
  if (!an.card) { sec.hidden = true; return; }
  sec.hidden = false;
  const c = an.card;
  const levelName = t('level.' + profile.area.level).toLowerCase();
  $('score-head').textContent = t('an.score.head', { title: c.title || c.model, year: c.year });
  // where the model has no class for that year: the published Leefbaarometer class of the
  // area, its enclosing area and the nation, as the profile has them
  const k = c.model === 'lbm' ? profile.indicators.find((i) => i.key === 'lbm_klasse') : null;
  const s = k && k.series.find((x) => x.year === c.year);
  const publishedOf = (r) => {
    if (!s || r.class) return 0;
    const v = r.role === 'area' ? s.value : profile.parent && r.code === profile.parent.code ? s.parent
      : r.role === 'nation' ? s.nation : NaN;
    return Number.isFinite(v) ? Math.round(v) : 0;
  };
  const cols = c.rows.map((r) => r.role === 'level_mean'
    ? t('an.score.mean', { n: fmt(r.n_areas, 0), level: levelName })
    : t('an.role.' + r.role) + (r.role !== 'area' && r.role !== 'nation' && r.name ? ': ' + r.name : ''));
  const head = el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, ''), ...cols.map((x) => el('th', { scope: 'col', class: 'num' }, x)),
    el('th', { scope: 'col', class: 'num' }, t('an.score.contribution'))));
  const body = el('tbody');
  const contrib = an.explain ? an.explain.dims.map((d) => d.contribution) : [];
  body.append(el('tr', { class: 'total' }, el('th', { scope: 'row' }, t('an.score.total')),
    ...c.rows.map((r) => el('td', { class: 'num' }, fmt(r.score))), el('td', { class: 'num' }, an.explain ? fmt(an.explain.score) : '—')));
  body.append(el('tr', { class: 'classes' }, el('th', { scope: 'row' }, t('an.score.class')),
    ...c.rows.map((r) => el('td', { class: 'num' }, publishedOf(r) ? classCell(publishedOf(r), true) : classCell(r.class))), el('td')));
  c.dims.forEach((d, i) => {
    body.append(el('tr', {}, el('th', { scope: 'row' }, d.label || d.key),
      ...c.rows.map((r) => el('td', { class: 'num' }, fmt(r.dims[i]))), el('td', { class: 'num' }, fmt(contrib[i]))));
  });
  $('score-table').replaceChildren(head, body);
  const mean = c.rows.find((r) => r.role === 'level_mean');
  $('score-note').textContent = t('an.score.hint') + (mean ? ' ' + t('an.score.mean.note', { level: levelName, year: c.boundary_year }) : '');
}

function fact(term, ...desc) {
  return [el('dt', {}, term), el('dd', {}, ...desc)];
}

function renderTrend(profile, an) {
  const sec = $('analysis-section');
  const tr = an.trend && an.trend.result;
  if (!tr && !an.lisa) { sec.hidden = true; return; }
  sec.hidden = false;
  const a = profile.area;
  const levelName = t('level.' + a.level).toLowerCase();
  const what = an.trendOf ? (getLang() === 'en' ? an.trendOf.label_en || an.trendOf.label_nl : an.trendOf.label_nl) : '';
  const items = [];
  const notes = [];
  if (tr) {
    const brk = an.trend.break_year;
    const cls = tr.trend || 'unknown';
    const trendSpan = el('span', { class: 'trend trend-' + cls }, cls === 'unknown' ? t('an.trend.none') : t('trend.' + cls));
    const rule = tr.rule ? ' (' + t('an.trend.rule.' + tr.rule, { brk, last: tr.last_year }) + ')' : '';
    items.push(...fact(t('an.trend.class', { brk }), trendSpan, rule,
      el('br'), t('an.trend.slope.value', { slope: signed(tr.class_slope, 4), p: pText(tr.class_p) })));
    if (Number.isFinite(tr.slope_before) || Number.isFinite(tr.slope_after))
      items.push(...fact(t('an.trend.slopes', { brk }), t('an.trend.slopes.value', { before: signed(tr.slope_before, 4), after: signed(tr.slope_after, 4) })));
    items.push(...fact(t('an.trend.mk', { from: tr.first_year, to: tr.last_year }),
      t('an.trend.mk.value', { tau: fmt(tr.mk_tau, 2), p: pText(tr.mk_p), n: tr.n })));
    const g = tr.group || 'none';
    items.push(...fact(t('an.trend.group'), el('span', { class: 'group group-' + g }, t('an.group.' + g))));
    if (Number.isFinite(tr.level_z))
      notes.push(t('an.trend.level', { year: tr.last_year, z: fmt(Math.abs(tr.level_z), 2), side: t(tr.level_z >= 0 ? 'an.trend.above' : 'an.trend.below'), level: levelName }));
    const after = an.trend.years.filter((y) => y >= brk && y <= tr.last_year).length;
    if (tr.rule === 'sen' && after <= 4 && cls === 'stagnating') {
      const pmin = { 3: '1/3', 4: '1/12' }[after] || '—';
      notes.push(t('an.trend.short', { n: after, brk, pmin }));
    }
  }
  if (an.lisaQuery) {
    const q = an.lisaQuery;
    const link = el('a', { href: './?' + new URLSearchParams({ ...(q.indicator ? { indicator: q.indicator } : { indicator: 'score:' + q.model }),
      level: q.level, year: q.year, by: q.by, mode: 'lisa', in: /^(WK|BU)/.test(a.code) ? 'GM' + a.code.slice(2, 6) : '' }) }, t('an.lisa.link'));
    let desc;
    if (an.lisa && !an.lisa.missing) {
      const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = LISA_COLORS[an.lisa.cluster];
      desc = [sw, t('an.lisa.value', { cluster: t('lisa.' + an.lisa.cluster), p: pText(an.lisa.p_perm) })];
    } else {
      desc = [t('an.lisa.none')];
    }
    const ctx = an.moran ? t('an.lisa.context', { level: levelName, I: fmt(an.moran.I, 3), pp: pText(an.moran.p_perm) }) + ' ' : '';
    items.push(...fact(t('an.lisa', { year: q.year }), ...desc, el('br'), ctx, link));
  }
  const dl = el('dl', { class: 'facts' }, ...items);
  const of = an.trendOf ? el('p', { class: 'meta' }, t('an.trend.of', { what, level: levelName, by: a.year })) : null;
  sec.replaceChildren(el('h2', { id: 'analysis-title' }, t('an.trend.title')), of, dl, ...notes.map((n) => el('p', { class: 'hint' }, n)));
}

/** Render the score card and the trend/cluster section of the profile. */
export function renderAnalysis(profile, an) {
  if (!an) return;
  renderScore(profile, an);
  renderTrend(profile, an);
}
