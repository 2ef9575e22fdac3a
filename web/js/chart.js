// Small SVG line charts of a time series: the area, its enclosing area and a reference
// (the nation, or the mean of the level), with a vertical marker at 2012.
import { fmt, t } from './i18n.js';

const SVGNS = 'http://www.w3.org/2000/svg';
export const MARK_YEAR = 2012;

function el(name, attrs, text) {
  const e = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceTicks(lo, hi, n) {
  if (lo === hi) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const start = Math.floor(lo / step) * step;
  const ticks = [];
  for (let v = start; v <= hi + step * 0.5 && ticks.length < 12; v += step) ticks.push((Math.round(v / step) * step) || 0);
  return ticks;
}

/* At most about six year labels: every k-th year, always the first and the last. */
function yearTicks(years) {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  if (ys.length <= 7) return ys;
  const k = Math.ceil(ys.length / 6);
  const out = ys.filter((_, i) => i % k === 0);
  if (out[out.length - 1] !== ys[ys.length - 1]) {
    if (ys[ys.length - 1] - out[out.length - 1] < k) out.pop();
    out.push(ys[ys.length - 1]);
  }
  return out;
}

/**
 * A chart for one indicator. `series` is [{year, value, parent, nation, level_mean}];
 * `refKey` is 'nation' or 'level_mean'. Returns an <svg> element.
 */
export function lineChart(series, { title, refKey, areaOnly = false, yearMarked = MARK_YEAR }) {
  const W = 340, H = 180, m = { l: 52, r: 14, t: 14, b: 28 };
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' });
  const pts = series.filter((s) => Number.isFinite(s.value));
  const years = series.map((s) => s.year);
  let x0 = Math.min(...years), x1 = Math.max(...years);
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  const all = [];
  const keys = areaOnly ? ['value'] : ['value', 'parent', refKey];
  for (const s of series) for (const k of keys) if (Number.isFinite(s[k])) all.push(s[k]);
  const ticks = niceTicks(Math.min(...all), Math.max(...all), 4);
  const y0 = ticks[0], y1 = ticks[ticks.length - 1];
  const X = (y) => m.l + ((y - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v) => H - m.b - ((v - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const first = pts[0], last = pts[pts.length - 1];
  const summary = first ? `${title}: ${fmt(first.value)} (${first.year}) → ${fmt(last.value)} (${last.year})` : title;
  svg.setAttribute('aria-label', summary);
  svg.appendChild(el('title', {}, summary));
  for (const v of ticks) {
    svg.appendChild(el('line', { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), class: 'grid' }));
    svg.appendChild(el('text', { x: m.l - 6, y: Y(v) + 4, class: 'tick', 'text-anchor': 'end' }, Math.abs(y1) >= 10000 || Math.abs(y0) >= 10000 ? fmt(v, 'compact') : fmt(v)));
  }
  for (const y of yearTicks(years)) svg.appendChild(el('text', { x: X(y), y: H - 10, class: 'tick', 'text-anchor': 'middle' }, String(y)));
  if (yearMarked >= x0 && yearMarked <= x1) {
    svg.appendChild(el('line', { x1: X(yearMarked), x2: X(yearMarked), y1: m.t, y2: H - m.b, class: 'mark' }));
    svg.appendChild(el('text', { x: X(yearMarked) + 3, y: m.t + 9, class: 'mark-label' }, String(yearMarked)));
  }
  const line = (key, cls) => {
    const p = series.filter((s) => Number.isFinite(s[key]));
    if (p.length === 0) return;
    const d = p.map((s, i) => (i ? 'L' : 'M') + X(s.year).toFixed(1) + ' ' + Y(s[key]).toFixed(1)).join('');
    svg.appendChild(el('path', { d, class: 'line ' + cls }));
    if (key === 'value')
      for (const s of p) {
        const c = el('circle', { cx: X(s.year), cy: Y(s[key]), r: 3, class: 'dot' });
        c.appendChild(el('title', {}, `${s.year}: ${fmt(s[key])}`));
        svg.appendChild(c);
      }
  };
  if (!areaOnly) {
    line(refKey, 'ref');
    line('parent', 'parent');
  }
  line('value', 'area');
  return svg;
}

export function chartLegend() {
  const ul = document.createElement('ul');
  ul.className = 'chart-legend';
  for (const [cls, key] of [['area', 'chart.area'], ['parent', 'chart.parent'], ['ref', 'chart.ref']]) {
    const li = document.createElement('li');
    const sw = document.createElementNS(SVGNS, 'svg');
    sw.setAttribute('viewBox', '0 0 24 8');
    sw.setAttribute('class', 'legend-line');
    sw.setAttribute('aria-hidden', 'true');
    sw.appendChild(el('path', { d: 'M0 4L24 4', class: 'line ' + cls }));
    li.append(sw, document.createTextNode(t(key)));
    ul.appendChild(li);
  }
  return ul;
}

/**
 * Several lines on one chart: rows [{year, ...}], lines [{key, cls, label}]. The y axis
 * starts at 0 (indices in [0, 1]).
 */
export function multiChart(rows, lines, { title, yearMarked = MARK_YEAR }) {
  const W = 520, H = 220, m = { l: 46, r: 110, t: 28, b: 28 };
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' });
  const years = rows.map((r) => r.year);
  let x0 = Math.min(...years), x1 = Math.max(...years);
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  const all = [0];
  for (const r of rows) for (const l of lines) if (Number.isFinite(r[l.key])) all.push(r[l.key]);
  const ticks = niceTicks(0, Math.max(...all), 4);
  const y1 = ticks[ticks.length - 1] || 1;
  const X = (y) => m.l + ((y - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v) => H - m.b - (v / y1) * (H - m.t - m.b);
  svg.setAttribute('aria-label', title);
  svg.appendChild(el('title', {}, title));
  svg.appendChild(el('text', { x: 6, y: 15, class: 'chart-title' }, title));
  for (const v of ticks) {
    svg.appendChild(el('line', { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), class: 'grid' }));
    svg.appendChild(el('text', { x: m.l - 6, y: Y(v) + 4, class: 'tick', 'text-anchor': 'end' }, fmt(v)));
  }
  for (const y of yearTicks(years)) svg.appendChild(el('text', { x: X(y), y: H - 10, class: 'tick', 'text-anchor': 'middle' }, String(y)));
  if (yearMarked >= x0 && yearMarked <= x1) {
    svg.appendChild(el('line', { x1: X(yearMarked), x2: X(yearMarked), y1: m.t, y2: H - m.b, class: 'mark' }));
    svg.appendChild(el('text', { x: X(yearMarked) + 3, y: m.t + 9, class: 'mark-label' }, String(yearMarked)));
  }
  for (const l of lines) {
    const p = rows.filter((r) => Number.isFinite(r[l.key]));
    if (!p.length) continue;
    const d = p.map((r, i) => (i ? 'L' : 'M') + X(r.year).toFixed(1) + ' ' + Y(r[l.key]).toFixed(1)).join('');
    svg.appendChild(el('path', { d, class: 'line ' + l.cls }));
    for (const r of p) {
      const c = el('circle', { cx: X(r.year), cy: Y(r[l.key]), r: 3, class: 'dot ' + l.cls });
      c.appendChild(el('title', {}, `${l.label} ${r.year}: ${fmt(r[l.key])}`));
      svg.appendChild(c);
    }
    const lastRow = p[p.length - 1];
    svg.appendChild(el('text', { x: X(lastRow.year) + 6, y: Y(lastRow[l.key]) + 4, class: 'tick series-label' }, l.label));
  }
  return svg;
}
