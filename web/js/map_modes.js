// The colourings of the map page and their legends:
// - values: classed by /api/classes (the nine Leefbaarometer classes for Leefbaarometer
//   scores, with the class boundaries of the score model; quantiles or equal intervals for
//   other indicators, red = unfavourable in the indicator's direction, blue when neutral);
// - lisa: local Moran clusters (/api/lisa) with global Moran's I (/api/moran) in the legend;
// - gi: Getis-Ord Gi* hot and cold spots (/api/getis);
// - ehsa, bivariate: emerging hot spots and bivariate clusters (map_spacetime.js).
import { api } from './api.js';
import { addStrings, fmt, getLang, label, t } from './i18n.js';
import { GI_COLORS, LBM_NAMES, LISA_COLORS, NODATA, paletteColors } from './colors.js';
import { loadBivariate, loadEhsa } from './map_spacetime.js';

const STRINGS = {
  nl: {
    'map.heading': '{level} van {where}',
    'map.where.nl': 'Nederland',
    'map.where.n': '{n} gemeenten',
    'weights.queen': 'queen-buren (gebieden die een grens of een hoekpunt delen)',
    'weights.rook': 'rook-buren (gebieden die een stuk grens delen)',
    'weights.knn': 'de dichtstbijzijnde gebieden',
    'mode.label': 'Weergave',
    'mode.values': 'Waarden in klassen',
    'mode.lisa': 'Clusters (LISA)',
    'mode.gi': 'Hot en cold spots (Gi*)',
    'method.label': 'Klassen',
    'method.auto': 'Automatisch',
    'method.quantile': 'Kwantielen',
    'method.equal': 'Gelijke intervallen',
    'scope.label': 'Gebied',
    'scope.all': 'Alle gebieden',
    'by.label': 'Grenzen',
    'by.option': '{year} ({n} gebieden)',
    'fdr.label': 'FDR-correctie',
    'national.button': 'Landelijke kaart: wijken {year}',
    'legend.lbm': 'Negen Leefbaarometer-klassen.',
    'legend.lbm.published': 'Kleur: de gepubliceerde klasse van elk gebied.',
    'legend.lbm.model': 'Kleur: klasse volgens model {model} voor {year}.',
    'legend.lbm.thr.model': 'Grenzen uit models/{model}.model voor {year}{offset}.',
    'legend.lbm.thr.offset': ', als afwijking van het landelijk niveau {offset} (absolute score = {offset} + afwijking)',
    'legend.lbm.thr.derived': 'Grenzen afgeleid uit de gegevens: het midden tussen de hoogste waarde van een klasse en de laagste van de volgende; — waar een klasse leeg is.',
    'legend.lbm.agree': 'Gepubliceerde klasse = modelklasse bij {eq} van {n} gebieden.',
    'legend.quantile': 'Kwantielen: {k} klassen met elk ongeveer evenveel gebieden.',
    'legend.equal': 'Gelijke intervallen: {k} klassen van gelijke breedte tussen laagste en hoogste waarde.',
    'legend.reason.no_thresholds_for_year': 'Model {model} heeft geen klassegrenzen voor {year}.',
    'legend.reason.model_without_classes': 'Model {model} heeft geen klassegrenzen.',
    'legend.reason.no_lbm_classes_for_year': 'Geen Leefbaarometer-klassen voor {year} (niet gepubliceerd, geen modelgrenzen).',
    'legend.dir.up': 'Hoger is beter: groen gunstig, rood ongunstig.',
    'legend.dir.down': 'Hoger is slechter: rood = hoge waarden.',
    'legend.dir.neutral': 'Geen richting: donkerder blauw = hoger.',
    'legend.n': '{n} gebieden',
    'legend.value': 'Klasse',
    'lisa.title': 'Clusters (lokale Moran, LISA)',
    'lisa.moran': "Moran's I = {I} (pseudo p = {p}, {perm} permutaties)",
    'lisa.method': 'Lokale Moran met {weights}, {perm} conditionele permutaties, α = {alpha}{fdr}.',
    'lisa.fdr': ', FDR-gecorrigeerd',
    'lisa.HH': 'Hoog–hoog: hoog, buren ook hoog',
    'lisa.LL': 'Laag–laag: laag, buren ook laag',
    'lisa.HL': 'Hoog tussen laag',
    'lisa.LH': 'Laag tussen hoog',
    'lisa.ns': 'Niet significant',
    'lisa.island': 'Geen buren (eiland)',
    'lisa.dir.up': 'Hoog = gunstig (hoger is beter).',
    'lisa.dir.down': 'Hoog = ongunstig (hoger is slechter).',
    'lisa.left': 'Berekend over de {n} gebieden met een waarde; {left} zonder waarde weggelaten.',
    'legend.scope': 'Getoond: {scope}. Klassen en statistieken zijn berekend over alle {level} van de kaart; de aantallen zijn die van {scope}.',
    'lisa.tip': '{cluster} (Ii {Ii}, pseudo p {p})',
    'gi.title': 'Hot en cold spots (Getis-Ord Gi*)',
    'gi.method': 'Gi* met {weights}; elk gebied telt zelf mee. α = {alpha}{fdr}.',
    'gi.hot99': 'Hot spot, p < 0,01',
    'gi.hot': 'Hot spot, p < {alpha}',
    'gi.cold': 'Cold spot, p < {alpha}',
    'gi.cold99': 'Cold spot, p < 0,01',
    'gi.ns': 'Niet significant',
    'gi.island': 'Geen buren',
    'gi.dir': 'Hot spot: een groep gebieden met hoge waarden; cold spot: met lage.',
    'gi.tip': '{spot} (z {z}, p {p})',
  },
  en: {
    'map.heading': '{level} of {where}',
    'map.where.nl': 'the Netherlands',
    'map.where.n': '{n} municipalities',
    'weights.queen': 'queen neighbours (areas sharing a border or a corner)',
    'weights.rook': 'rook neighbours (areas sharing a stretch of border)',
    'weights.knn': 'the nearest areas',
    'mode.label': 'View',
    'mode.values': 'Values in classes',
    'mode.lisa': 'Clusters (LISA)',
    'mode.gi': 'Hot and cold spots (Gi*)',
    'method.label': 'Classes',
    'method.auto': 'Automatic',
    'method.quantile': 'Quantiles',
    'method.equal': 'Equal intervals',
    'scope.label': 'Area',
    'scope.all': 'All areas',
    'by.label': 'Boundaries',
    'by.option': '{year} ({n} areas)',
    'fdr.label': 'FDR correction',
    'national.button': 'National map: wijken {year}',
    'legend.lbm': 'Nine Leefbaarometer classes.',
    'legend.lbm.published': 'Colour: the published class of each area.',
    'legend.lbm.model': 'Colour: class by model {model} for {year}.',
    'legend.lbm.thr.model': 'Boundaries from models/{model}.model for {year}{offset}.',
    'legend.lbm.thr.offset': ', as deviation from the national level {offset} (absolute score = {offset} + deviation)',
    'legend.lbm.thr.derived': 'Boundaries derived from the data: midway between the highest value of a class and the lowest of the next; — where a class is empty.',
    'legend.lbm.agree': 'Published class = model class for {eq} of {n} areas.',
    'legend.quantile': 'Quantiles: {k} classes with about as many areas each.',
    'legend.equal': 'Equal intervals: {k} classes of equal width between the lowest and highest value.',
    'legend.reason.no_thresholds_for_year': 'Model {model} has no class boundaries for {year}.',
    'legend.reason.model_without_classes': 'Model {model} has no class boundaries.',
    'legend.reason.no_lbm_classes_for_year': 'No Leefbaarometer classes for {year} (not published, no model boundaries).',
    'legend.dir.up': 'Higher is better: green favourable, red unfavourable.',
    'legend.dir.down': 'Higher is worse: red = high values.',
    'legend.dir.neutral': 'No direction: darker blue = higher.',
    'legend.n': '{n} areas',
    'legend.value': 'Class',
    'lisa.title': 'Clusters (local Moran, LISA)',
    'lisa.moran': "Moran's I = {I} (pseudo p = {p}, {perm} permutations)",
    'lisa.method': 'Local Moran with {weights}, {perm} conditional permutations, α = {alpha}{fdr}.',
    'lisa.fdr': ', FDR-adjusted',
    'lisa.HH': 'High–high: high, neighbours high',
    'lisa.LL': 'Low–low: low, neighbours low',
    'lisa.HL': 'High among low',
    'lisa.LH': 'Low among high',
    'lisa.ns': 'Not significant',
    'lisa.island': 'No neighbours (island)',
    'lisa.dir.up': 'High = favourable (higher is better).',
    'lisa.dir.down': 'High = unfavourable (higher is worse).',
    'lisa.left': 'Computed over the {n} areas with a value; {left} without a value left out.',
    'legend.scope': 'Shown: {scope}. Classes and statistics are computed over all {level} of the map; the counts are those of {scope}.',
    'lisa.tip': '{cluster} (Ii {Ii}, pseudo p {p})',
    'gi.title': 'Hot and cold spots (Getis-Ord Gi*)',
    'gi.method': 'Gi* with {weights}; each area counts itself. α = {alpha}{fdr}.',
    'gi.hot99': 'Hot spot, p < 0.01',
    'gi.hot': 'Hot spot, p < {alpha}',
    'gi.cold': 'Cold spot, p < {alpha}',
    'gi.cold99': 'Cold spot, p < 0.01',
    'gi.ns': 'Not significant',
    'gi.island': 'No neighbours',
    'gi.dir': 'Hot spot: a group of areas with high values; cold spot: with low values.',
    'gi.tip': '{spot} (z {z}, p {p})',
  },
};
addStrings(STRINGS.nl, STRINGS.en);

export const MODES = ['values', 'lisa', 'gi', 'ehsa', 'bivariate'];
export const METHODS = ['auto', 'quantile', 'equal'];
const ALPHA = '0.05';
const PERMUTATIONS = 999;

/** The query of a catalogue entry: an indicator, or a model's score ("score:NAME"). */
export function sourceParams(ind) {
  return ind.model ? { model: ind.model.name } : { indicator: ind.key };
}

function rangeText(from, to) {
  const f = Number.isFinite(from), g = Number.isFinite(to);
  if (f && g) return fmt(from) + ' – ' + fmt(to);
  if (g) return '< ' + fmt(to);
  if (f) return '≥ ' + fmt(from);
  return '';
}

function dirNote(d, prefix) {
  return t(prefix + (d > 0 ? '.dir.up' : d < 0 ? '.dir.down' : '.dir.neutral'));
}

/* ---- values in classes ---- */

async function loadValues(ind, sel, by) {
  const q = { ...sourceParams(ind), level: sel.level, year: sel.year, boundary_year: by };
  if (sel.method !== 'auto') q.method = sel.method;
  const { data } = await api('classes', q);
  const k = data.classes.length;
  const colors = paletteColors(data.palette, k);
  const names = LBM_NAMES[getLang()] || LBM_NAMES.nl;
  const lbm = data.scheme === 'lbm';
  const byCode = new Map();
  for (const v of data.values) {
    const c = v.class;
    byCode.set(v.code, {
      value: v.value,
      color: c ? colors[c - 1] : NODATA,
      detail: c ? (lbm ? t('legend.value') + ' ' + c + ': ' + names[c - 1] : t('legend.value') + ' ' + c + '/' + k) : '',
    });
  }
  const notes = [];
  const model = data.model || data.thresholds_model || '';
  if (lbm) {
    notes.push(t('legend.lbm'));
    if (data.source === 'published') notes.push(t('legend.lbm.published'));
    else notes.push(t('legend.lbm.model', { model, year: data.year }));
    if (data.thresholds_source === 'model')
      notes.push(t('legend.lbm.thr.model', { model: data.thresholds_model, year: data.year,
        offset: Number.isFinite(data.offset) ? t('legend.lbm.thr.offset', { offset: fmt(data.offset, 4) }) : '' }));
    else if (data.thresholds_source === 'derived') notes.push(t('legend.lbm.thr.derived'));
    if (data.agreement && data.source === 'published')
      notes.push(t('legend.lbm.agree', { eq: fmt(data.agreement.equal, 0), n: fmt(data.agreement.n, 0) }));
  } else {
    if (data.reason) notes.push(t('legend.reason.' + data.reason, { model: data.model || 'lbm', year: data.year }));
    notes.push(t(data.scheme === 'equal' ? 'legend.equal' : 'legend.quantile', { k }));
    notes.push(dirNote(data.direction, 'legend'));
  }
  const entries = data.classes.map((c) => ({
    color: colors[c.class - 1],
    label: lbm ? c.class + ' ' + names[c.class - 1] : rangeText(c.from, c.to),
    range: lbm ? rangeText(c.from, c.to) : '',
    title: Number.isFinite(c.from_abs) || Number.isFinite(c.to_abs) ? rangeText(c.from_abs, c.to_abs) : '',
    n: c.n,
  })).reverse(); // best (highest) on top
  return { byCode, notes, entries, title: null, scheme: data.scheme, classes: data };
}

/* ---- LISA clusters ---- */

const CLUSTERS = ['HH', 'LL', 'HL', 'LH', 'ns', 'island'];

async function loadLisa(ind, sel, by) {
  const q = { ...sourceParams(ind), level: sel.level, year: sel.year, boundary_year: by };
  const [l, m] = await Promise.all([
    api('lisa', { ...q, permutations: PERMUTATIONS, seed: 1, alpha: ALPHA, fdr: sel.fdr ? 1 : 0 }),
    api('moran', { ...q, permutations: PERMUTATIONS, seed: 1 }),
  ]);
  const counts = Object.fromEntries(CLUSTERS.map((c) => [c, 0]));
  const byCode = new Map();
  for (const r of l.data) {
    counts[r.cluster]++;
    byCode.set(r.code, {
      value: r.value,
      color: LISA_COLORS[r.cluster],
      detail: t('lisa.tip', { cluster: t('lisa.' + r.cluster), Ii: fmt(r.Ii), p: fmt(r.p_perm, 3) }),
    });
  }
  const md = m.data;
  const notes = [
    t('lisa.moran', { I: fmt(md.I, 3), p: fmt(md.p_perm, 3), perm: md.permutations }),
    t('lisa.method', { weights: t('weights.' + md.weights), perm: PERMUTATIONS, alpha: fmt(Number(ALPHA)), fdr: sel.fdr ? t('lisa.fdr') : '' }),
  ];
  if (ind.direction) notes.push(t(ind.direction > 0 ? 'lisa.dir.up' : 'lisa.dir.down'));
  const left = md.n_missing + md.n_no_value;
  if (left) notes.push(t('lisa.left', { n: fmt(md.n, 0), left: fmt(left, 0) }));
  const entries = CLUSTERS.filter((c) => c !== 'island' || counts.island)
    .map((c) => ({ color: LISA_COLORS[c], label: t('lisa.' + c), n: counts[c] }));
  return { byCode, notes, entries, title: t('lisa.title'), moran: md };
}

/* ---- Gi* hot and cold spots ---- */

async function loadGi(ind, sel, by) {
  const q = { ...sourceParams(ind), level: sel.level, year: sel.year, boundary_year: by, star: 1, alpha: ALPHA, fdr: sel.fdr ? 1 : 0 };
  const { data } = await api('getis', q);
  const keys = ['hot99', 'hot', 'ns', 'cold', 'cold99', 'island'];
  const counts = Object.fromEntries(keys.map((k) => [k, 0]));
  const byCode = new Map();
  for (const r of data) {
    const p = sel.fdr ? r.p_fdr : r.p;
    // hot99 / hot / ns / cold / cold99 / island
    const key = r.spot === 'hot' || r.spot === 'cold' ? r.spot + (p < 0.01 ? '99' : '') : r.spot;
    counts[key]++;
    byCode.set(r.code, {
      value: r.value,
      color: GI_COLORS[key],
      detail: t('gi.tip', { spot: t('gi.' + key, { alpha: fmt(Number(ALPHA)) }), z: fmt(r.z), p: fmt(p, 3) }),
    });
  }
  const notes = [
    t('gi.method', { weights: t('weights.queen'), alpha: fmt(Number(ALPHA)), fdr: sel.fdr ? t('lisa.fdr') : '' }),
    t('gi.dir'),
  ];
  if (ind.direction) notes.push(t(ind.direction > 0 ? 'lisa.dir.up' : 'lisa.dir.down'));
  const entries = keys.filter((k) => k !== 'island' || counts.island)
    .map((k) => ({ color: GI_COLORS[k], label: t('gi.' + k, { alpha: fmt(Number(ALPHA)) }), n: counts[k] }));
  return { byCode, notes, entries, title: t('gi.title') };
}

/** The colouring of @p mode: {byCode: Map(code -> {value, color, detail}), notes, entries, title}.
 *  @p other: the second indicator of the bivariate view. */
export function loadMode(mode, ind, sel, by, other) {
  if (mode === 'ehsa') return loadEhsa(ind, sel, by);
  if (mode === 'bivariate') return loadBivariate(ind, sel, by, other);
  if (mode === 'lisa') return loadLisa(ind, sel, by);
  if (mode === 'gi') return loadGi(ind, sel, by);
  return loadValues(ind, sel, by);
}

/**
 * Draw the legend of a loaded colouring into @p box. @p shown (optional) counts the areas on
 * screen per colour: with a narrowed map ("Gebied") the legend counts what it shows, and says
 * that the statistics were computed over the whole level.
 */
export function drawLegend(box, view, ind, sel, { shown, scope, level } = {}) {
  const title = document.createElement('h2');
  title.textContent = (view.title ? view.title + ': ' : '') + label(ind) + (ind.unit && !view.title ? ' (' + ind.unit + ')' : '') + ', ' + sel.year;
  const list = document.createElement('ul');
  const item = (e) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = e.color;
    const text = document.createElement('span');
    text.className = 'entry';
    text.textContent = e.label;
    if (e.range) {
      const r = document.createElement('span');
      r.className = 'range';
      r.textContent = e.range;
      text.append(' ', r);
    }
    li.append(sw, text);
    if (e.n !== undefined) {
      const n = document.createElement('span');
      n.className = 'count';
      n.textContent = fmt(e.n, 0);
      n.title = t('legend.n', { n: e.n });
      li.append(n);
    }
    if (e.title) li.title = e.title;
    return li;
  };
  const count = (e) => (shown ? { ...e, n: shown.get(e.color) || 0 } : e);
  for (const e of view.entries) list.appendChild(item(count(e)));
  list.appendChild(item(count({ color: NODATA, label: t('map.nodata'), n: shown ? 0 : undefined })));
  const notes = document.createElement('div');
  notes.className = 'legend-notes';
  const all = view.notes.slice();
  if (scope) all.push(t('legend.scope', { scope, level }));
  for (const n of all) {
    const p = document.createElement('p');
    p.textContent = n;
    notes.appendChild(p);
  }
  box.setAttribute('aria-label', t('map.legend'));
  box.replaceChildren(title, list, notes);
}
