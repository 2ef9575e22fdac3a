// The space-time views of the map page (docs/spacetime.md), loaded by map_modes.js:
// - ehsa: emerging hot spots (/api/hotspots): Gi* of every year on the chosen boundaries and
//   the category of each area (new, consecutive, intensifying, persistent, diminishing,
//   sporadic, oscillating, historical; hot and cold);
// - bivariate: local bivariate Moran (/api/lisa?bivariate=) of the indicator with the
//   neighbours' values of a second one, with the global bivariate I (/api/moran?bivariate=).
import { api } from './api.js';
import { addStrings, fmt, label, t } from './i18n.js';
import { LISA_COLORS } from './colors.js';

addStrings({
  'mode.ehsa': 'Opkomende hot spots (in de tijd)',
  'mode.bivariate': 'Samenhang met de buren (bivariaat)',
  'bv.label': 'Met de buren van',
  'ehsa.title': 'Opkomende hot en cold spots',
  'ehsa.method': 'Gi* per jaar ({from}–{to}, {n} jaren) met queen-buren; elk gebied telt zelf mee. Significant bij p ≤ {alpha}{fdr}; de trend van z met Mann-Kendall. Categorieën zoals ArcGIS Emerging Hot Spot Analysis.',
  'ehsa.fdr': ' na FDR-correctie per jaar',
  'ehsa.model': 'Opkomende hot spots zijn er voor indicatoren, niet voor de score van een model.',
  'ehsa.left': '{n} gebieden met een waarde in elk jaar; {inc} met ontbrekende jaren weggelaten.',
  'ehsa.tip': '{cat}: {hot} van {n} jaren hot, {cold} cold (laatste z {z})',
  'ehsa.new_hot': 'Nieuwe hot spot', 'ehsa.consecutive_hot': 'Aaneengesloten hot spot',
  'ehsa.intensifying_hot': 'Versterkende hot spot', 'ehsa.persistent_hot': 'Blijvende hot spot',
  'ehsa.diminishing_hot': 'Afnemende hot spot', 'ehsa.sporadic_hot': 'Sporadische hot spot',
  'ehsa.oscillating_hot': 'Wisselende hot spot', 'ehsa.historical_hot': 'Vroegere hot spot',
  'ehsa.new_cold': 'Nieuwe cold spot', 'ehsa.consecutive_cold': 'Aaneengesloten cold spot',
  'ehsa.intensifying_cold': 'Versterkende cold spot', 'ehsa.persistent_cold': 'Blijvende cold spot',
  'ehsa.diminishing_cold': 'Afnemende cold spot', 'ehsa.sporadic_cold': 'Sporadische cold spot',
  'ehsa.oscillating_cold': 'Wisselende cold spot', 'ehsa.historical_cold': 'Vroegere cold spot',
  'ehsa.none': 'Geen patroon', 'ehsa.island': 'Geen buren',
  'bv.title': 'Bivariate clusters: {x} met de buren van {y}',
  'bv.global': 'Bivariate Moran\'s I = {I} (pseudo p = {p}, {perm} permutaties; samenhang ter plaatse r = {r}).',
  'bv.method': 'Lokale bivariate Moran met queen-buren, {perm} conditionele permutaties, α = {alpha}{fdr}.',
  'bv.HH': 'Hoog, buren hoog op {y}', 'bv.LL': 'Laag, buren laag op {y}',
  'bv.HL': 'Hoog, buren laag op {y}', 'bv.LH': 'Laag, buren hoog op {y}',
  'bv.ns': 'Niet significant', 'bv.island': 'Geen buren (eiland)',
  'bv.none': 'Kies een tweede indicator met waarden voor dit jaar.',
  'bv.model': 'Bivariate clusters zijn er voor indicatoren, niet voor de score van een model.',
  'bv.tip': '{cluster} (Ibv {I}, pseudo p {p})',
}, {
  'mode.ehsa': 'Emerging hot spots (over time)',
  'mode.bivariate': 'Association with the neighbours (bivariate)',
  'bv.label': 'With the neighbours\' values of',
  'ehsa.title': 'Emerging hot and cold spots',
  'ehsa.method': 'Gi* per year ({from}–{to}, {n} years) with queen neighbours; each area counts itself. Significant at p ≤ {alpha}{fdr}; the trend of z by Mann-Kendall. Categories as ArcGIS Emerging Hot Spot Analysis.',
  'ehsa.fdr': ' after FDR correction per year',
  'ehsa.model': 'Emerging hot spots are for indicators, not for the score of a model.',
  'ehsa.left': '{n} areas with a value in every year; {inc} with missing years left out.',
  'ehsa.tip': '{cat}: hot in {hot} of {n} years, cold in {cold} (last z {z})',
  'ehsa.new_hot': 'New hot spot', 'ehsa.consecutive_hot': 'Consecutive hot spot',
  'ehsa.intensifying_hot': 'Intensifying hot spot', 'ehsa.persistent_hot': 'Persistent hot spot',
  'ehsa.diminishing_hot': 'Diminishing hot spot', 'ehsa.sporadic_hot': 'Sporadic hot spot',
  'ehsa.oscillating_hot': 'Oscillating hot spot', 'ehsa.historical_hot': 'Historical hot spot',
  'ehsa.new_cold': 'New cold spot', 'ehsa.consecutive_cold': 'Consecutive cold spot',
  'ehsa.intensifying_cold': 'Intensifying cold spot', 'ehsa.persistent_cold': 'Persistent cold spot',
  'ehsa.diminishing_cold': 'Diminishing cold spot', 'ehsa.sporadic_cold': 'Sporadic cold spot',
  'ehsa.oscillating_cold': 'Oscillating cold spot', 'ehsa.historical_cold': 'Historical cold spot',
  'ehsa.none': 'No pattern', 'ehsa.island': 'No neighbours',
  'bv.title': 'Bivariate clusters: {x} with the neighbours\' {y}',
  'bv.global': 'Bivariate Moran\'s I = {I} (pseudo p = {p}, {perm} permutations; correlation in place r = {r}).',
  'bv.method': 'Local bivariate Moran with queen neighbours, {perm} conditional permutations, α = {alpha}{fdr}.',
  'bv.HH': 'High, neighbours high in {y}', 'bv.LL': 'Low, neighbours low in {y}',
  'bv.HL': 'High, neighbours low in {y}', 'bv.LH': 'Low, neighbours high in {y}',
  'bv.ns': 'Not significant', 'bv.island': 'No neighbours (island)',
  'bv.none': 'Choose a second indicator with values for this year.',
  'bv.model': 'Bivariate clusters are for indicators, not for the score of a model.',
  'bv.tip': '{cluster} (Ibv {I}, pseudo p {p})',
});

// hot: reds (strongest for the newest and intensifying), cold: blues; historical and
// sporadic lighter
export const EHSA_COLORS = {
  new_hot: '#67000d', consecutive_hot: '#a50f15', intensifying_hot: '#cb181d', persistent_hot: '#ef3b2c',
  diminishing_hot: '#fb6a4a', sporadic_hot: '#fc9272', oscillating_hot: '#e7a0c0', historical_hot: '#fcbba1',
  new_cold: '#08306b', consecutive_cold: '#08519c', intensifying_cold: '#2171b5', persistent_cold: '#4292c6',
  diminishing_cold: '#6baed6', sporadic_cold: '#9ecae1', oscillating_cold: '#b4a7d6', historical_cold: '#c6dbef',
  none: '#eeeeee', island: '#7f7f7f',
};
const CATEGORIES = Object.keys(EHSA_COLORS);
const ALPHA = '0.05';
const PERMUTATIONS = 999;

function noIndicator(key) {
  const e = new Error(t(key));
  e.status = 400;
  throw e;
}

/* ---- emerging hot spots ---- */

export async function loadEhsa(ind, sel, by) {
  if (ind.model) noIndicator('ehsa.model');
  const { data } = await api('hotspots', { indicator: ind.key, level: sel.level, boundary_year: by,
    alpha: ALPHA, fdr: sel.fdr ? 1 : 0 });
  const n = data.years.length;
  const byCode = new Map();
  for (const a of data.areas) {
    const hot = a.spot.filter((s) => s > 0).length, cold = a.spot.filter((s) => s < 0).length;
    byCode.set(a.code, {
      value: a.z[n - 1],
      color: EHSA_COLORS[a.category],
      detail: t('ehsa.tip', { cat: t('ehsa.' + a.category), hot, cold, n, z: fmt(a.z[n - 1]) }),
    });
  }
  const notes = [t('ehsa.method', { from: data.years[0], to: data.years[n - 1], n, alpha: fmt(Number(ALPHA)),
    fdr: sel.fdr ? t('ehsa.fdr') : '' })];
  if (data.spatial && data.spatial.incomplete)
    notes.push(t('ehsa.left', { n: fmt(data.spatial.analysed, 0), inc: fmt(data.spatial.incomplete, 0) }));
  const entries = CATEGORIES.filter((c) => data.counts[c] || c === 'none')
    .map((c) => ({ color: EHSA_COLORS[c], label: t('ehsa.' + c), n: data.counts[c] }));
  return { byCode, notes, entries, title: t('ehsa.title'), hotspots: data };
}

/* ---- bivariate clusters ---- */

const CLUSTERS = ['HH', 'LL', 'HL', 'LH', 'ns', 'island'];

export async function loadBivariate(ind, sel, by, other) {
  if (ind.model) noIndicator('bv.model');
  if (!other) noIndicator('bv.none');
  const q = { indicator: ind.key, bivariate: other.key, level: sel.level, year: sel.year, boundary_year: by };
  const [l, m] = await Promise.all([
    api('lisa', { ...q, permutations: PERMUTATIONS, seed: 1, alpha: ALPHA, fdr: sel.fdr ? 1 : 0 }),
    api('moran', { ...q, permutations: PERMUTATIONS, seed: 1 }),
  ]);
  const y = label(other);
  const counts = Object.fromEntries(CLUSTERS.map((c) => [c, 0]));
  const byCode = new Map();
  for (const r of l.data) {
    counts[r.cluster]++;
    byCode.set(r.code, {
      value: r.value,
      color: LISA_COLORS[r.cluster],
      detail: t('bv.tip', { cluster: t('bv.' + r.cluster, { y }), I: fmt(r.Ibv), p: fmt(r.p_perm, 3) }),
    });
  }
  const md = m.data;
  const notes = [
    t('bv.global', { I: fmt(md.I, 3), p: fmt(md.p_perm, 3), perm: md.permutations, r: fmt(md.r, 2) }),
    t('bv.method', { perm: PERMUTATIONS, alpha: fmt(Number(ALPHA)), fdr: sel.fdr ? t('lisa.fdr') : '' }),
  ];
  const entries = CLUSTERS.filter((c) => c !== 'island' || counts.island)
    .map((c) => ({ color: LISA_COLORS[c], label: t('bv.' + c, { y }), n: counts[c] }));
  return { byCode, notes, entries, title: t('bv.title', { x: label(ind), y }), moran: md };
}
