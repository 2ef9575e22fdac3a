// Classed colour scales for the choropleth.
//
// Leefbaarometer classes (1 zeer onvoldoende .. 9 uitstekend) use the Leefbaarometer
// palette from dark red via orange and yellow to dark green. Other indicators use quantile
// classes: red-to-green when the indicator has a direction (green is always better), a
// single-hue blue ramp when it is neutral.

export const LBM_COLORS = ['#8c0f0f', '#c8312b', '#ea6a2d', '#f5a340', '#f9dc5c',
  '#c5df74', '#8cc665', '#4a9e48', '#1b6a30'];
export const LBM_NAMES = {
  nl: ['zeer onvoldoende', 'ruim onvoldoende', 'onvoldoende', 'zwak', 'voldoende',
    'ruim voldoende', 'goed', 'zeer goed', 'uitstekend'],
  en: ['very insufficient', 'highly insufficient', 'insufficient', 'weak', 'sufficient',
    'more than sufficient', 'good', 'very good', 'excellent'],
};
const DIVERGING = ['#b2182b', '#ef8a62', '#f9dc5c', '#a6d96a', '#1a9641'];
const SEQUENTIAL = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const NODATA = '#d4d4d4';

// Class colours of the map (/api/classes gives the palette name and the classes):
// ColorBrewer RdYlGn (red = unfavourable) and Blues (neutral), nine steps, sampled evenly
// for fewer classes.
const RDYLGN9 = ['#d73027', '#f46d43', '#fdae61', '#fee08b', '#ffffbf', '#d9ef8b', '#a6d96a', '#66bd63', '#1a9850'];
const BLUES9 = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];

/** k colours of a palette ('lbm', 'diverging', 'diverging_reversed', 'sequential'), lowest class first. */
export function paletteColors(name, k) {
  if (name === 'lbm') return LBM_COLORS.slice();
  let base = name === 'sequential' ? BLUES9.slice(1) : RDYLGN9;
  if (name === 'diverging_reversed') base = base.slice().reverse();
  if (k <= 1) return [base[Math.floor(base.length / 2)]];
  return Array.from({ length: k }, (_, i) => base[Math.round((i * (base.length - 1)) / (k - 1))]);
}

// LISA clusters in the colours GeoDa and most LISA maps use; Gi* hot and cold spots.
export const LISA_COLORS = { HH: '#d7191c', LL: '#2c7bb6', HL: '#f4a3a8', LH: '#a6c8e6', ns: '#eeeeee', island: '#7f7f7f' };
export const GI_COLORS = { hot99: '#b2182b', hot: '#ef8a62', cold: '#67a9cf', cold99: '#2166ac', ns: '#eeeeee', island: '#7f7f7f' };

function quantileBreaks(values, k) {
  const v = values.slice().sort((a, b) => a - b);
  const breaks = [];
  for (let i = 1; i < k; i++) {
    const q = v[Math.min(v.length - 1, Math.floor((i * v.length) / k))];
    if (breaks.length === 0 || q > breaks[breaks.length - 1]) breaks.push(q);
  }
  return breaks;
}

/**
 * A scale for an indicator: {color(v), legend: [{color, from, to, label}]}.
 * `ind` carries key, unit, direction.
 */
export function makeScale(ind, values, lang) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (ind.key === 'lbm_klasse' || ind.unit === 'klasse') {
    const names = LBM_NAMES[lang] || LBM_NAMES.nl;
    return {
      kind: 'lbm',
      color: (v) => (Number.isFinite(v) && v >= 1 && v <= 9 ? LBM_COLORS[Math.round(v) - 1] : NODATA),
      legend: LBM_COLORS.map((c, i) => ({ color: c, label: (i + 1) + ' ' + names[i] })),
    };
  }
  if (/^lbm/.test(ind.key) && finite.length) {
    // Leefbaarometer deviation scores: 0 is the national mean; nine equal classes around
    // it in the Leefbaarometer colours (not the official class boundaries).
    const m = Math.max(...finite.map(Math.abs)) || 1;
    const w = (2 * m) / 9;
    const breaks = Array.from({ length: 8 }, (_, i) => -m + w * (i + 1));
    const cls = (v) => { let i = 0; while (i < breaks.length && v >= breaks[i]) i++; return i; };
    return {
      kind: 'lbm-dev',
      breaks,
      color: (v) => (Number.isFinite(v) ? LBM_COLORS[cls(v)] : NODATA),
      legend: LBM_COLORS.map((c, i) => ({ color: c, from: i === 0 ? -m : breaks[i - 1], to: i === 8 ? m : breaks[i] })),
    };
  }
  let colors = ind.direction > 0 ? DIVERGING : ind.direction < 0 ? DIVERGING.slice().reverse() : SEQUENTIAL;
  const breaks = finite.length ? quantileBreaks(finite, colors.length) : [];
  colors = colors.slice(0, breaks.length + 1);
  if (ind.direction !== 0 && breaks.length + 1 < 5) {
    // few classes: keep the ends of the red-green ramp
    colors = breaks.length === 0 ? [DIVERGING[2]] : colors;
  }
  const cls = (v) => { let i = 0; while (i < breaks.length && v >= breaks[i]) i++; return i; };
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 0;
  return {
    kind: 'quantile',
    breaks,
    color: (v) => (Number.isFinite(v) ? colors[cls(v)] : NODATA),
    legend: colors.map((c, i) => ({ color: c, from: i === 0 ? lo : breaks[i - 1], to: i === breaks.length ? hi : breaks[i] })),
  };
}
